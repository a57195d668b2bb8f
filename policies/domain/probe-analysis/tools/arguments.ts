/** Command-line reading shared by the tool analyzers. */

export function positionalArguments(args: string[], shortWithValue: Set<string>, longWithValue: Set<string>): string[] {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === "--") {
            out.push(...args.slice(i + 1));
            break;
        }
        if (arg.startsWith("--")) {
            if (!arg.includes("=") && longWithValue.has(arg.slice(2))) i++;
            continue;
        }
        if (arg.startsWith("-") && arg.length > 1) {
            for (let j = 1; j < arg.length; j++) {
                if (shortWithValue.has(arg[j])) {
                    if (j === arg.length - 1) i++;
                    break;
                }
            }
            continue;
        }
        out.push(arg);
    }
    return out;
}
