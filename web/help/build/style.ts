/** The help center's stylesheet: small, system fonts, readable on a phone. */
export const HELP_CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f6f7f9}
header{background:#1f3a5f;color:#fff;padding:1rem max(1rem,calc(50% - 24rem))}
header a{color:#fff}
.home{font-weight:700;font-size:1.2rem;text-decoration:none}
.languages{float:right}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.75rem}
form.search label{flex-basis:100%;font-size:.9rem}
form.search input{flex:1;padding:.6rem;border:0;border-radius:.3rem;font-size:1rem}
button{padding:.55rem 1rem;border:0;border-radius:.3rem;background:#f2a541;color:#1d2330;font-weight:600;cursor:pointer}
.results{list-style:none;margin:.5rem 0 0;padding:0}
.results li{background:#fff;color:#1d2330;margin:.35rem 0;padding:.5rem .75rem;border-radius:.3rem}
.results li a{color:#1f3a5f;font-weight:600}
.results p,.articles p{margin:.2rem 0 0;font-size:.92rem;color:#4a5263}
main{max-width:48rem;margin:0 auto;padding:1rem}
.articles{list-style:none;padding:0}
.articles li{background:#fff;margin:.5rem 0;padding:.75rem 1rem;border-radius:.4rem;box-shadow:0 1px 2px #0001}
a{color:#1f5fa8}
article{background:#fff;padding:1rem 1.25rem;border-radius:.4rem}
.summary{font-size:1.05rem;color:#33405a}
table{border-collapse:collapse}td,th{border:1px solid #d5d9e0;padding:.3rem .6rem}
.updated,.crumbs{font-size:.85rem;color:#5d6678}
form.feedback{margin-top:1.5rem}
fieldset{border:1px solid #d5d9e0;border-radius:.4rem;background:#fff}
textarea{display:block;width:100%;margin:.4rem 0 .6rem;font:inherit}
form.feedback.sent fieldset{display:none}
`;
