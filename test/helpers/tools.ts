/** What the PDF tests need from the machine: the renderer's CJK fonts and poppler's tools. */
import { execFileSync } from 'node:child_process';
import { locateFonts } from '../../src/render/pdf.js';

/** the CJK fonts of the PDF renderer are installed (Debian fonts-noto-cjk, or NIANBAO_FONT_DIR) */
export const fontsInstalled = (() => {
  try {
    locateFonts();
    return true;
  } catch {
    return false;
  }
})();
/** without the fonts the PDF renderer cannot run: skipped on a workstation, a failure in CI */
export const needsFonts = !fontsInstalled && !process.env.CI;

/** a command-line tool (poppler's pdftotext, pdftoppm, pdffonts) answers `-v` */
export function hasTool(cmd: string): boolean {
  try {
    execFileSync(cmd, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
