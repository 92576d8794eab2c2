/** PDF transformation matrices [a b c d e f], shared by the two PDF engines (pdf.ts, pdf-pdfium.ts) */

export type Matrix = [number, number, number, number, number, number];

/** m2 then m1: a point p goes to m1 · (m2 · p) */
export function mul(m1: readonly number[], m2: readonly number[]): Matrix {
  return [
    m1[0] * m2[0] + m1[2] * m2[1],
    m1[1] * m2[0] + m1[3] * m2[1],
    m1[0] * m2[2] + m1[2] * m2[3],
    m1[1] * m2[2] + m1[3] * m2[3],
    m1[0] * m2[4] + m1[2] * m2[5] + m1[4],
    m1[1] * m2[4] + m1[3] * m2[5] + m1[5],
  ];
}
