/** The kit every rule is built with: reporting convention, wrappers, config reading. */
export * from "./report";
export * from "./check";
export * from "./program-files";
export * from "./stack-config";
export * from "./image-builds";
export * from "./secret-marks";
