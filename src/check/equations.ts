/** The arithmetic of 表二 and 表三: defined with the format (src/model/equations.ts). */
export { type Equation, type EquationKind, equations, residual, singleCellFix, sum } from '../model/equations.js';
