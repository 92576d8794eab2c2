/** Every rule of the checker, in the order of the documentation. */
import { rule as ambiguousCell } from './rules/ambiguous-cell.js';
import { rule as applicationsBalance } from './rules/applications-balance.js';
import { rule as applicationsOutcomeTotal } from './rules/applications-outcome-total.js';
import { rule as applicationsRowTotal } from './rules/applications-row-total.js';
import { rule as arithmeticFix } from './rules/arithmetic-fix.js';
import { rule as blankCells } from './rules/blank-cells.js';
import { rule as carryOver } from './rules/carry-over.js';
import { rule as cellValues } from './rules/cell-values.js';
import { rule as feeAmountFormat } from './rules/fee-amount-format.js';
import { rule as feeConsistency } from './rules/fee-consistency.js';
import { rule as feeStatement } from './rules/fee-statement.js';
import { rule as inForceContinuity } from './rules/in-force-continuity.js';
import { rule as outdatedTemplate } from './rules/outdated-template.js';
import { rule as problemsSection } from './rules/problems-section.js';
import { rule as proseFigures } from './rules/prose-figures.js';
import { rule as publicationDeadline } from './rules/publication-deadline.js';
import { rule as regulationsAuthority } from './rules/regulations-authority.js';
import { rule as reviewLitigationTotal } from './rules/review-litigation-total.js';
import { rule as sectionsPresent } from './rules/sections-present.js';
import { rule as sharpChange } from './rules/sharp-change.js';
import { rule as similarity } from './rules/similarity.js';
import { rule as tableLabels } from './rules/table-labels.js';
import type { Rule } from './types.js';

export const RULES: readonly Rule[] = [
  // arithmetic of the tables
  applicationsBalance,
  applicationsOutcomeTotal,
  applicationsRowTotal,
  reviewLitigationTotal,
  arithmeticFix,
  // the format
  sectionsPresent,
  tableLabels,
  outdatedTemplate,
  cellValues,
  feeAmountFormat,
  blankCells,
  ambiguousCell,
  // the law and practice
  publicationDeadline,
  feeStatement,
  problemsSection,
  feeConsistency,
  regulationsAuthority,
  proseFigures,
  // across years
  carryOver,
  inForceContinuity,
  sharpChange,
  similarity,
];
