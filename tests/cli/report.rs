//! `report.html`: self-contained, rendered by headless Chromium into a
//! page that is not blank and holds every section.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Case, Run, python, root, two_groups_links};

/// Chromium: `NEXO_CHROMIUM`, else Debian's `/usr/bin/chromium` (which
/// `scripts/test` installs when it can).
fn chromium() -> PathBuf {
    let path = std::env::var_os("NEXO_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(
        path.exists(),
        "{} not found: install Debian's `chromium` (scripts/test does, as root) or set NEXO_CHROMIUM",
        path.display()
    );
    path
}

/// Runs headless Chromium on `page` with `action` (`--dump-dom`, `--screenshot=...`).
fn render(page: &Path, action: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1280,2400",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(action)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(output.status.success(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn sections(html: &str) -> Vec<String> {
    html.split("<section id=\"").skip(1).map(|s| s[..s.find('"').expect("id")].to_owned()).collect()
}

#[test]
fn the_report_renders_with_every_section() {
    let case = Case::with(&[]);
    let run = case.analyze_sample(&[]).ok();
    let page = run.out.join("report.html");
    let html = std::fs::read_to_string(&page).expect("report.html");
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("src="), "fetches nothing");
    let dom = render(&page, "--dump-dom");
    let expected = ["summary", "key-nodes", "brokers", "communities", "network", "degrees", "activity", "methods"];
    assert_eq!(sections(&dom), expected);
    // The sample's figures reach the page: its 9 nodes, its first key person, a drawing with circles.
    assert!(dom.contains("<dd>9</dd>") && dom.contains("Rafael Mena"), "facts and key people");
    assert!(dom.matches("<circle").count() >= 9 + 3, "the drawing and the degree chart");
    let screenshot = case.path().join("report.png");
    render(&page, &format!("--screenshot={}", screenshot.display()));
    let stats =
        Command::new(python()).arg(root().join("scripts/png_stats.py")).arg(&screenshot).output().expect("python");
    assert!(stats.status.success(), "{}", String::from_utf8_lossy(&stats.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).expect("json");
    assert_eq!((stats["width"].as_u64(), stats["height"].as_u64()), (Some(1280), Some(2400)));
    let inked = stats["inked"].as_f64().expect("inked");
    assert!(inked > 0.03 && stats["colours"].as_u64() > Some(20), "a blank page? {stats}");
}

#[test]
fn disruption_and_key_players_have_their_sections() {
    let csv = two_groups_links(false);
    for (command, option, section) in [("disrupt", "--steps=3", "disruption"), ("keyplayers", "--k=2", "key-players")] {
        let case = Case::with(&[("links.csv", csv.as_bytes())]);
        let args: Vec<std::ffi::OsString> = vec![
            command.into(),
            case.path().into(),
            "--out".into(),
            case.out().into(),
            "--quiet".into(),
            option.into(),
        ];
        let run = Run::of(&args, case.out()).ok();
        let html = std::fs::read_to_string(run.out.join("report.html")).expect("report.html");
        assert_eq!(sections(&html), ["summary", "degrees", section, "methods"], "{command}");
    }
}
