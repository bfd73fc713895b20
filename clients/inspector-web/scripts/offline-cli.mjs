// The app's offline verdict as a command, for the .NET verdict-table test (one table, every surface):
// stdin {keys, warnings, today, codes:[…]} → stdout [{code, verdict, reasons:[code…]}].
import { offlineVerdict } from '../src/verdict.js';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { keys, warnings, today, codes } = JSON.parse(input);
const out = [];
for (const code of codes) {
  const v = await offlineVerdict(code, { keys, warnings, today });
  out.push({ code, verdict: v.verdict, reasons: v.reasons.map(r => r.code) });
}
process.stdout.write(JSON.stringify(out));
