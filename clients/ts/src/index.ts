// @usd1/client: what an integrator needs, with nothing derived by hand.
export * from "./pda.js";
export * from "./program.js";
export * from "./events.js";
export * from "./transfer.js";
export * from "./instructions.js";
export { IDL } from "./usd1.js";
export * from "./computeBudget.js";
export * from "./subscribe.js";
export * from "./verify.js";
