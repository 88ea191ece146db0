// CSV cells that a spreadsheet would run as a formula (=, +, -, @, and tab or carriage return,
// which some spreadsheets strip before looking) get a leading apostrophe, so an exported list
// of signatures can be opened safely (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
