import {
  ANNUAL_FIELDS,
  type AnnualRow,
  FINANCE_FIELDS,
  type FieldInfo,
  type FinanceResult,
  RANKING_FIELDS,
} from '../models/result.ts';
import type { Column } from './charts/figure.ts';
import { t } from './i18n.ts';

/**
 * Labels and units of the result's fields for the page, read from the result's own schema
 * (models/result.ts): the views name a field and never type its label or unit. A view that shows a
 * value scaled (per cent, MW, M CNY) gives the unit it shows.
 */

/** An annual field's label (translated) and unit. */
export const annual = (key: keyof AnnualRow): FieldInfo => ANNUAL_FIELDS[key];
/** A finance field's label and unit. */
export const finance = (key: keyof FinanceResult): FieldInfo => FINANCE_FIELDS[key];
/** A field of the comparison's ranking rows. */
export const ranking = (key: string): FieldInfo => RANKING_FIELDS[key];

/** The field's label in the page's language. */
export const labelOf = (f: FieldInfo): string => t(f.label);

/** A table column showing a result field (label and unit from its schema, or the unit the view scales to). */
export function fieldColumn(
  f: FieldInfo,
  key: string,
  digits: number,
  unit: string = f.unit,
  minWidth?: string,
): Column {
  return { key, label: f.label, unit: unit || undefined, digits, ...(minWidth ? { minWidth } : {}) };
}
