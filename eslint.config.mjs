// ESLint flat config (issue 15). Type-aware through ONE program, the root tsconfig.json, which includes every
// package's sources (the program `tsc --noEmit -p .` checks). Not typescript-eslint's project service: it opens the
// nearest tsconfig.json of each file, and each workspace package has its own (cli/, components/, provider/, the
// pack, its domain, the doctor), so it built seven programs, each loading the Pulumi SDK's and AWS's types: 50 s
// for the whole tree against 31 s with one. Plain JavaScript files are linted without types (the last block).
import tseslint from "typescript-eslint";

export default tseslint.config(
    {
        // Fixtures are the programs and packs *users* write (some deliberately wrong, some plain JS): test data, not
        // our code. bin/ and the caches are build outputs (.gitignore).
        ignores: ["**/node_modules/**", "**/bin/**", ".check-cache/**", ".bench-work/**", "tests/fixtures/**"],
    },
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            parserOptions: {
                project: "./tsconfig.json",
                tsconfigRootDir: import.meta.dirname,
            },
        },
        linterOptions: { reportUnusedDisableDirectives: "error" },
        rules: {
            // A promise nobody awaits loses its rejection: in a policy that is a crash reported as a pass, in a CLI an
            // exit code that lies, in a component an unhandled rejection after the program "succeeded".
            "@typescript-eslint/no-floating-promises": "error",
            // Unused symbols are how dead helpers (matcherAccepts, an unused ctx) went unnoticed. `_`-prefixed
            // parameters are the explicit way to keep a positional parameter an interface requires.
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
            ],
            // `import type` is erased by ts-node's transpile-only mode for certain: a type-only import of a module that
            // pulls in @pulumi/pulumi (the pack, the CLI's child) never loads it at run time.
            "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
            // A variable a callback reads before its one later assignment (a timer cancelled from the callback that
            // may run first) cannot be const: prefer-const's own option for exactly that case.
            "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
        },
    },
    {
        // Tests read mock registrations (`MockResourceArgs.inputs` is `any` in @pulumi/pulumi) and the offline engine
        // handles the untyped wire values of the mock monitor and of user programs: `any` there is the SDK's type, and
        // re-typing ~200 uses as `unknown` plus casts would add noise, not safety. Everywhere else `any` stays an error.
        files: ["tests/**/*.ts", "cli/offline/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    {
        // The offline engine loads the *program's* own copies of @pulumi/pulumi, typescript and ts-node by computed
        // path, and patches Node's `Module` internals, as the Node.js language host does: `require` is the design.
        files: ["cli/offline/**/*.ts"],
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // Plain JavaScript run by Node as it is (the offline child's bootstrap and ESM hooks): CommonJS require is
        // the point there, and there are no types to check.
        files: ["**/*.js", "**/*.mjs"],
        ...tseslint.configs.disableTypeChecked,
        rules: { ...tseslint.configs.disableTypeChecked.rules, "@typescript-eslint/no-require-imports": "off" },
    },
);
