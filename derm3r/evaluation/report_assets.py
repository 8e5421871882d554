"""The style sheet and the filter script of report.html and compare.html (inline: the files are self-contained)."""

from __future__ import annotations

STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;color:#222}
main{margin:0 2em 2em 15em;max-width:1200px}
nav#contents{position:fixed;top:0;left:0;width:13em;height:100%;overflow:auto;background:#f6f7f9;
border-right:1px solid #ddd;padding:1em;box-sizing:border-box;font-size:90%}
nav#contents a{display:block;padding:2px 0;color:#245;text-decoration:none}
nav#contents a:hover{text-decoration:underline}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;
vertical-align:top}th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}
.case{border:1px solid #ddd;border-radius:6px;padding:0.5em 1em;margin:1em 0}.case h3{margin:0.3em 0}
.triple{display:grid;grid-template-columns:1fr 1fr 1fr;gap:1em}.triple p{margin:0.3em 0}
.missing{background:#fdd;text-decoration:line-through}
.extra{background:#ffe9b3}.dose{background:#e0e8ff}.herb{display:inline-block;margin:1px 3px;padding:0 3px;
border-radius:3px}.error{color:#b00}.muted{color:#777;font-size:90%}.ok{color:#1a7f37}.bad{color:#b00}
.badge{display:inline-block;border-radius:3px;padding:0 5px;margin-left:4px;font-size:80%;color:#fff}
.badge.refer{background:#b00}.badge.abstain{background:#a60}.badge.wrong{background:#777}
#filters{position:sticky;top:0;background:#fff;padding:0.5em 0;border-bottom:1px solid #ddd;z-index:1}
#filters label{margin-right:1em;white-space:nowrap}#filters input[type=number]{width:4em}
.run-block td:first-child{font-weight:bold;white-space:nowrap}pre.settings{margin:0;font-size:85%}
.measure li{font-size:90%}a.jump{color:inherit}.implied{margin-left:1.5em}.implied .muted{font-size:100%}
#runs td{word-break:break-all;max-width:28em}td.diff{white-space:nowrap}
svg.outline{display:block;margin:4px 0;border:1px solid #ccc;background:#fafafa}
"""

#: Filters the case list: every checked filter must hold (AND); a confusion cell or a breakdown row sets one.
SCRIPT = """
(function(){
  const cases = Array.from(document.querySelectorAll('.case'));
  const boxes = Array.from(document.querySelectorAll('#filters input[type=checkbox]'));
  const f1 = document.getElementById('f-herb-f1-value');
  const shown = document.getElementById('shown');
  const picked = document.getElementById('picked');
  let pick = null;
  function passes(c){
    for (const b of boxes){
      if (!b.checked) continue;
      const k = b.dataset.test;
      if (k === 'herb_f1'){
        const v = c.dataset.herbF1;
        if (v === '' || parseFloat(v) >= parseFloat(f1.value)) return false;
      } else if (c.dataset[k] !== '1') return false;
    }
    if (pick && c.dataset[pick.key] !== pick.value) return false;
    return true;
  }
  function apply(){
    let n = 0;
    for (const c of cases){ const ok = passes(c); c.hidden = !ok; if (ok) n++; }
    shown.textContent = n + ' / ' + cases.length;
    picked.textContent = pick ? pick.label : '';
    document.getElementById('clear-pick').hidden = !pick;
  }
  boxes.forEach(b => b.addEventListener('change', apply));
  f1.addEventListener('input', apply);
  document.getElementById('clear-pick').addEventListener('click', e => { e.preventDefault(); pick = null; apply(); });
  document.querySelectorAll('a.jump').forEach(a => a.addEventListener('click', () => {
    pick = {key: a.dataset.key, value: a.dataset.value, label: a.dataset.label || a.dataset.value};
    boxes.forEach(b => b.checked = false);
    apply();
  }));
  apply();
})();
"""
