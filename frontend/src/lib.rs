//! The browser entry point of the islands: the page stays as the server rendered it; only the
//! `#[island]` components of `app` (exported by their macro) come to life. Nothing else belongs
//! here.

// Links the islands' exports into this bundle.
#[allow(unused_imports)]
use app::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
