// Checking a page as HTML, with the rules test/integration/html-validity.test.ts uses.
import { HtmlValidate } from 'html-validate';

/** What html-validate's recommended rules find on a page (the doctype's case aside, as in html-validity.test.ts). */
export async function htmlProblems(html: string): Promise<string[]> {
  const validator = new HtmlValidate({ extends: ['html-validate:recommended'], rules: { 'doctype-style': 'off' } });
  const report = await validator.validateString(html);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
}
