/**
 * The child's result channel (run-channel.ts): a run travels line by line and arrives whole,
 * however the pipe splits the text; resources are told as they arrive, before the run ends; a
 * channel that breaks or loses a resource is no run at all.
 * The child process end to end is in program-runs.test.ts.
 */
import * as assert from "node:assert/strict";
import { createChannelReader, registeredLine, writeChildMessage } from "../../cli/offline/run-channel";
import type { ChildMessage } from "../../cli/offline/run-channel";
import type { CapturedResource, OfflineRun } from "../../cli/offline/program-runner";
import { DEFAULT_PLACEMENT } from "../../cli/offline/placeholder-outputs";

function resource(i: number, filler = ""): CapturedResource {
    return {
        urn: `urn:pulumi:dev::p::aws:s3/bucket:Bucket::b${i}`,
        type: "aws:s3/bucket:Bucket",
        name: `b${i}`,
        custom: true,
        remote: false,
        inputs: { bucket: `b${i}`, note: `naïve — ${filler}`, tags: { n: String(i) } },
        outputs: { arn: `arn:aws:s3:::b${i}` },
        dependencies: [],
        propertyDependencies: { bucket: [] },
        options: { protect: i % 2 === 0 || undefined },
    };
}

function run(resources: CapturedResource[]): OfflineRun {
    return {
        project: "p",
        stack: "dev",
        programDir: "/p",
        resources,
        stackOutputs: { url: "http://x" },
        unknownInvokes: [],
        notes: ["a note with “quotes” — and a dash"],
        placement: DEFAULT_PLACEMENT,
        entryFile: "/p/index.ts",
    };
}

/** The text the child writes for `message`, as the batches it writes (`alreadySent` resources went before). */
function written(message: ChildMessage, alreadySent = 0): string[] {
    const writes: string[] = [];
    writeChildMessage(
        message,
        (text) => {
            writes.push(text);
        },
        alreadySent,
    );
    return writes;
}

/** What the reader makes of `text` arriving in pieces of `size` characters. */
function read(text: string, size: number): ChildMessage | undefined {
    const reader = createChannelReader();
    for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size));
    return reader.message();
}

describe("offline: the child's result channel", () => {
    it("a run arrives whole and equal, however the text is split", () => {
        const sent = run([0, 1, 2].map((i) => resource(i)));
        const text = written({ kind: "result", run: sent }).join("");
        for (const size of [1, 7, 64, text.length]) {
            assert.deepStrictEqual(read(text, size), JSON.parse(JSON.stringify({ kind: "result", run: sent })), `pieces of ${size}`);
        }
    });

    it("sends one line per resource, never the whole run as one string", () => {
        const sent = run(Array.from({ length: 3000 }, (_, i) => resource(i, "x".repeat(1000))));
        const writes = written({ kind: "result", run: sent });
        const text = writes.join("");
        assert.equal(
            text.split("\n").filter(Boolean).length,
            2 * 3000 + 1,
            "a registered and an outputs line per resource, and the result",
        );
        assert.ok(writes.length > 1, "a run of about 3 MB is written in more than one piece");
        assert.ok(
            writes.every((w) => w.length < 2 * 1024 * 1024),
            "no piece is much larger than a batch",
        );
        const received = read(text, 65536);
        assert.equal(received?.kind, "result");
        assert.equal(received.kind === "result" && received.run.resources.length, 3000);
    });

    it("resources sent as they registered are told to the reader at once, and the run still arrives whole", () => {
        const sent = run([0, 1, 2].map((i) => resource(i)));
        // As the child does: each resource goes when registered, before its outputs are attached.
        const early = sent.resources.map((r) => registeredLine({ ...r, outputs: {} }));
        const told: string[] = [];
        const reader = createChannelReader((r) => told.push(r.name));
        reader.push(early.slice(0, 2).join(""));
        assert.deepStrictEqual(told, ["b0", "b1"], "told before the run ended");
        assert.equal(reader.message(), undefined);
        reader.push(early[2]! + written({ kind: "result", run: sent }, 3).join(""));
        assert.deepStrictEqual(told, ["b0", "b1", "b2"]);
        assert.deepStrictEqual(
            reader.message(),
            JSON.parse(JSON.stringify({ kind: "result", run: sent })),
            "outputs attached after the run",
        );
    });

    it("the other outcomes are one line each", () => {
        const messages: ChildMessage[] = [
            { kind: "error", message: "The program failed: boom" },
            { kind: "timeout", pending: ["resource 'a' (aws:s3/bucket:Bucket)"] },
            { kind: "exited", code: 1, calledByProgram: true, pending: [] },
        ];
        for (const message of messages) {
            const writes = written(message);
            assert.equal(writes.length, 1);
            assert.deepStrictEqual(read(writes[0], 5), message);
        }
    });

    it("no terminal line, a lost resource or a line that is not JSON: no message", () => {
        const lines = written({ kind: "result", run: run([0, 1, 2].map((i) => resource(i))) })
            .join("")
            .split("\n");
        assert.equal(read(lines.slice(0, 6).join("\n"), 10), undefined, "the terminal line never came");
        assert.equal(read([...lines.slice(0, 1), ...lines.slice(2)].join("\n"), 10), undefined, "a resource line was lost");
        assert.equal(read([...lines.slice(0, 4), ...lines.slice(5)].join("\n"), 10), undefined, "an outputs line was lost");
        assert.equal(
            read([lines[0], lines[3], lines[1], lines[2], ...lines.slice(4)].join("\n"), 10),
            undefined,
            "a resource after outputs",
        );
        assert.equal(read(`{"kind":"registered",\n${lines.join("\n")}`, 10), undefined, "a broken line");
        assert.equal(read(lines.join("\n"), 10)?.kind, "result", "the same lines, whole, are a run");
    });

    it("only the first terminal message counts", () => {
        const text = [...written({ kind: "error", message: "first" }), ...written({ kind: "timeout", pending: [] })].join("");
        assert.deepStrictEqual(read(text, 3), { kind: "error", message: "first" });
    });
});
