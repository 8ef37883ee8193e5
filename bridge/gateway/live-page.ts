/**
 * The live page served at `/` on the admin port. Static HTML; its script polls `/api/state` every second with
 * the token taken from the URL fragment (`/#token=…`, never sent to the server in the URL) or asked once.
 */
export function renderLivePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>migrate gateway</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#1b1f24;background:#f6f8fa}
h1{font-size:20px;margin:0 0 4px}.sub{color:#57606a;margin-bottom:16px}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:20px}
th,td{border:1px solid #d0d7de;padding:6px 10px;text-align:left}td:nth-child(3){white-space:nowrap}th{background:#eaeef2}
.bar{background:#d0d7de;width:120px;height:10px;display:inline-block;vertical-align:middle;margin-right:6px}
.bar i{display:block;height:10px;background:#8250df}.bad{color:#cf222e;font-weight:600}.ok{color:#1a7f37}
pre{margin:0;white-space:pre-wrap;font:12px ui-monospace,monospace}
</style></head><body>
<h1>migrate gateway</h1><div class="sub" id="sub">connecting…</div>
<table><thead><tr><th>route</th><th>prefix</th><th>wasm weight</th><th>shadow</th>
<th>error rate container / wasm</th><th>p99 ms container / wasm</th><th>requests (window)</th><th>diffs</th><th>gates</th></tr></thead>
<tbody id="routes"></tbody></table>
<h2 style="font-size:16px">Recent decisions</h2>
<table><thead><tr><th style="width:190px">time</th><th style="width:160px">event</th><th>details</th></tr></thead><tbody id="events"></tbody></table>
<script>
const params = new URLSearchParams(location.hash.slice(1));
let token = params.get('token') || sessionStorage.getItem('migrate-token') || '';
if (!token) { token = prompt('admin token') || ''; }
sessionStorage.setItem('migrate-token', token);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
const pct = (x) => (x * 100).toFixed(2) + '%';
const ms = (x) => x === undefined || x === null ? '–' : x.toFixed(2);
async function refresh() {
  try {
    const res = await fetch('/api/state', { headers: { authorization: 'Bearer ' + token }, cache: 'no-store' });
    if (!res.ok) { document.getElementById('sub').textContent = 'admin API answered ' + res.status; return; }
    const s = await res.json();
    document.getElementById('sub').textContent = 'listening on ' + s.listen + ' · updated ' + new Date().toLocaleTimeString();
    document.getElementById('routes').innerHTML = s.routes.map((r) => {
      const c = r.window.container, w = r.window.wasm;
      const gates = r.gatesBreached.length ? '<span class="bad">' + esc(r.gatesBreached.join(', ')) + '</span>' : '<span class="ok">ok</span>';
      return '<tr><td><b>' + esc(r.name) + '</b>' + (r.frozen ? ' <span class="bad">frozen</span>' : '') + '</td><td>' + esc(r.prefix) +
        '</td><td><span class="bar"><i style="width:' + r.weight + '%"></i></span>' + r.weight + '%</td><td>' +
        (r.shadow.enabled ? 'on (' + pct(r.shadow.sampleRate) + ')' : 'off') + '</td><td>' + pct(c.errorRate) + ' / ' +
        '<span class="' + (w.errorRate > c.errorRate ? 'bad' : '') + '">' + pct(w.errorRate) + '</span></td><td>' + ms(c.p99Ms) + ' / ' + ms(w.p99Ms) +
        '</td><td>' + c.requests + ' / ' + w.requests + '</td><td>' + r.shadow.differing + ' of ' + r.shadow.compared +
        (Object.keys(r.diffFields).length ? '<pre>' + esc(Object.keys(r.diffFields).join(', ')) + '</pre>' : '') + '</td><td>' + gates + '</td></tr>';
    }).join('');
    document.getElementById('events').innerHTML = s.events.slice().reverse().slice(0, 15).map((e) => {
      const { time, at, type, ...rest } = e;
      return '<tr><td>' + esc(time) + '</td><td>' + esc(type) + '</td><td><pre>' + esc(JSON.stringify(rest)) + '</pre></td></tr>';
    }).join('');
  } catch (err) {
    document.getElementById('sub').textContent = 'cannot reach the admin API: ' + err;
  }
}
refresh();
setInterval(refresh, 1000);
</script></body></html>
`;
}
