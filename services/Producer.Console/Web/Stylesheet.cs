namespace Traceability.ProducerConsole.Web;

/// <summary>The console's only stylesheet: mobile first (one column, large touch targets), wider grids from 48rem.</summary>
internal static class Stylesheet
{
    public const string Css = """
        :root{--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--accent:#0b6e4f;--bad:#b42318;--bg:#f6f8fa;font-family:system-ui,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
        *{box-sizing:border-box}body{margin:0;line-height:1.45;font-size:1rem}
        header{background:var(--accent);color:#fff;padding:.5rem .75rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
        header a{color:#fff}.brand{font-weight:700;text-decoration:none;margin-right:auto}.lang{font-size:.9rem}
        nav{width:100%}nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
        nav a{display:inline-block;padding:.5rem .6rem;min-height:44px;text-decoration:none;border-radius:.3rem;background:rgba(255,255,255,.15)}
        nav form{display:inline}.inline{display:inline}
        main{padding:.75rem;max-width:64rem;margin:0 auto}h1{font-size:1.4rem;margin:.5rem 0 1rem}
        .card{background:var(--bg);border:1px solid var(--line);border-radius:.5rem;padding:.75rem;margin-bottom:1rem}
        .field{margin-bottom:.9rem}label,legend{display:block;font-weight:600;margin-bottom:.25rem}
        input,select,textarea{font:inherit;width:100%;padding:.6rem;min-height:44px;border:1px solid #8c959f;border-radius:.3rem;background:#fff;color:var(--ink)}
        input[type=radio],input[type=checkbox]{width:auto;min-height:auto}
        input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border:2px solid var(--bad)}
        .hint{color:var(--muted);font-size:.9rem;margin:0 0 .25rem}.error{color:var(--bad);font-weight:600;margin:.25rem 0 0}
        .req{color:var(--bad)}
        button,.button{font:inherit;display:inline-block;min-height:44px;padding:.6rem 1rem;border:0;border-radius:.3rem;background:var(--accent);color:#fff;text-decoration:none;cursor:pointer}
        button.link{background:transparent;color:#fff;text-decoration:underline;padding:.5rem}
        .alert{border:2px solid var(--bad);background:#fef3f2;padding:.5rem .75rem;border-radius:.3rem;margin-bottom:1rem}
        .ok{border:2px solid var(--accent);background:#ecfdf3;padding:.5rem .75rem;border-radius:.3rem;margin-bottom:1rem}
        fieldset{border:1px solid var(--line);border-radius:.5rem;margin:0 0 1rem;padding:.5rem .75rem}
        .steps{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}
        .steps label{font-weight:500;border:1px solid var(--line);border-radius:.4rem;padding:.6rem;display:flex;gap:.5rem;align-items:center;min-height:48px;background:#fff}
        .steps input:checked+span{font-weight:700;color:var(--accent)}
        table{border-collapse:collapse;width:100%;font-size:.95rem}th,td{border-bottom:1px solid var(--line);padding:.4rem;text-align:left;vertical-align:top}
        .table{overflow-x:auto}.bad td{background:#fef3f2}
        .status-active{color:var(--accent)}.status-expired,.status-recalled{color:var(--bad);font-weight:700}
        progress{width:100%;height:1.5rem}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        .grid{display:grid;gap:.75rem}
        @media (min-width:48rem){.grid{grid-template-columns:1fr 1fr}.steps{grid-template-columns:repeat(4,1fr)}main{padding:1.5rem}}
        """;
}
