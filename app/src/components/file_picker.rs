//! The file picker of the filing form, the tip form and the referral documents: an island, so
//! that with JavaScript a file the server would refuse (too large, one too many) is named at
//! once, before a slow link spends minutes sending it. The server checks again on every upload.

use leptos::prelude::*;

use crate::components::form::FormError;
use crate::domain::evidence::{MAX_FILE_BYTES, MAX_FILES};
use crate::i18n::use_i18n;

/// What the server accepts (it recognises files by content; this only filters the picker).
const ACCEPT: &str = "image/jpeg,image/png,application/pdf,audio/*";

/// The picker as pages place it: labelled by the page, described by its hints, with how many
/// files the case can still take.
#[component]
pub fn FileInput(
    id: &'static str,
    described_by: &'static str,
    #[prop(default = MAX_FILES)] room: usize,
    #[prop(optional)] error: Option<FormError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let invalid = error
        .and_then(|e| e.get_untracked())
        .and_then(|e| e.field_key("evidence"))
        .is_some();
    // The bundle is needed on this page: fetched while the page is still read, not after.
    let early = use_context::<crate::Bundle>()
        .filter(|bundle| !bundle.js.is_empty())
        .map(|bundle| {
            view! {
                <link rel="modulepreload" href=bundle.js />
                <link rel="preload" href=bundle.wasm r#as="fetch" r#type="application/wasm" crossorigin="anonymous" />
            }
        });
    // A case that holds all the files it may: said in words, nothing to pick.
    if room == 0 {
        return view! { <p class="hint" id=id>{i18n.t("form-evidence-full")}</p> }.into_any();
    }
    view! {
        {early}
        <FilePicker
            id=id.to_string()
            described_by=described_by.to_string()
            invalid
            room
            too_many=i18n.t_with("form-evidence-too-many", &[("count", room.to_string())])
            too_big=i18n.t("form-evidence-too-big")
        />
    }
    .into_any()
}

#[island]
fn FilePicker(
    id: String,
    described_by: String,
    invalid: bool,
    room: usize,
    too_many: String,
    too_big: String,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    // The server's error (`FieldMessage`, id `evidence-error`) holds until another choice.
    let changed = RwSignal::new(false);
    let check_id = format!("{id}-check");
    let check = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let found = input
            .files()
            .and_then(|files| refused(&files, room, &too_many, &too_big));
        input.set_custom_validity(found.as_deref().unwrap_or(""));
        problem.set(found);
        changed.set(true);
    };
    let server_error = move || invalid && !changed.get();
    let described = {
        let check_id = check_id.clone();
        move || {
            let mut ids = vec![described_by.clone()];
            if server_error() {
                ids.push("evidence-error".to_string());
            }
            if problem.read().is_some() {
                ids.push(check_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <input type="file" id=id name="evidence" multiple=true accept=ACCEPT
            aria-invalid=move || (server_error() || problem.read().is_some()).then_some("true")
            aria-describedby=described
            on:change=check />
        {move || problem.get().map(|text| view! { <p class="msg-error" role="alert" id=check_id.clone()>{text}</p> })}
    }
}

/// Why the server would refuse this choice, in the reader's words, naming the files too large.
fn refused(
    files: &web_sys::FileList,
    room: usize,
    too_many: &str,
    too_big: &str,
) -> Option<String> {
    if files.length() as usize > room {
        return Some(too_many.to_string());
    }
    let large: Vec<String> = (0..files.length())
        .filter_map(|i| files.get(i))
        .filter(|file| file.size() > MAX_FILE_BYTES as f64)
        .map(|file| file.name())
        .collect();
    (!large.is_empty()).then(|| format!("{too_big} {}", large.join(", ")))
}
