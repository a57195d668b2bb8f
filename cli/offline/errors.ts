/** Raised when the program, its project file or its stack config cannot be run (the check exits 2). */
export class ProgramRunError extends Error {
    constructor(
        message: string,
        readonly detail?: string,
    ) {
        super(message);
        this.name = "ProgramRunError";
    }
}
