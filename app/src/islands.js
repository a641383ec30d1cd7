// The only script of every page (about 1 KB, inline under the page's nonce). It runs once the
// document is parsed (a module script is deferred):
// - the quick exit replaces this page in the history, so Back does not return to it; it works
//   at once, before anything else has downloaded;
// - the browser bundle is fetched only by pages that hold an island (`#[island]` components,
//   rendered as <leptos-island>): most pages never load it;
// - `data-hydrated` on <body> says the page's scripts are done (the browser tests wait for it).
((js, wasm) => {
  const exit = document.querySelector("a.quick-exit");
  if (exit) {
    exit.addEventListener("click", (event) => {
      event.preventDefault();
      window.location.replace(exit.href);
    });
  }
  const done = () => document.body.setAttribute("data-hydrated", "true");
  const islands = document.querySelectorAll("leptos-island");
  if (islands.length === 0) {
    done();
    return;
  }
  // The script glue and the wasm travel side by side (one round trip less on a slow link).
  const code = fetch(wasm);
  import(js)
    .then(async (bundle) => {
      await bundle.default({ module_or_path: code });
      bundle.hydrate();
      for (const island of islands) {
        const start = bundle[island.dataset.component];
        if (start) start(island);
      }
      done();
    })
    .catch((error) => console.error("Veille: the page's scripts did not load", error));
})
