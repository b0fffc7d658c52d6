//! `nexo analyze`: records in, link network tables out.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};

use nexo_graph::{Degrees, Entities, LinkNetwork, Selection, WeightKind};
use nexo_io::{
    InputPart, NodeValues, OutputFormat, Profile, Pseudonymiser, ScanOptions, Scanned, TableKind, TimeParser, discover,
    scan, sha256_file, sha256_hex, table_parts,
};

use crate::args::{AnalyzeArgs, FormatArg, KindArg, PathWeightArg, RemovalArgs, WeightArg};
use crate::manifest::{InputEntry, Manifest, NetworkEntry, OutputEntry, Parameters, RecordEntry, StageEntry};
use crate::measures::{self, Measured};
use crate::outputs::{Placement, Tables, write_outputs};
use crate::progress::Progress;
use crate::staging::Staging;
use crate::{communities, disrupt, keyplayers, report};

/// Runs the analysis; returns the manifest written.
/// What a run computes on the network it reads.
#[derive(Debug)]
pub enum Mode<'a> {
    /// `nexo analyze`: the measures and communities.
    Measure,
    /// `nexo disrupt`: a removal curve.
    Disrupt(&'a RemovalArgs),
    /// `nexo keyplayers`: a key-player set of this size and kind.
    KeyPlayers(usize, KindArg),
}

pub fn run(args: &AnalyzeArgs, mode: Mode<'_>, quiet: bool) -> Result<()> {
    let mut stages = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |stage: &'static str, stages: &mut Vec<StageEntry>| {
        stages.push(StageEntry { stage, seconds: clock.elapsed().as_secs_f64() });
        clock = Instant::now();
    };

    let parts = input_parts(args)?;
    let options = scan_options(args)?;
    check_run_id(args)?;
    let pseudonymiser = args.pseudonymise_key.as_deref().map(Pseudonymiser::from_key_file).transpose()?;
    let staging = Staging::new(&args.out)?;
    let progress = Progress::rows("reading", quiet);
    let scanned = scan(&parts, &options, &|rows| progress.add(rows));
    // Errors that quote the records (a bad row under --strict, an overflowing
    // link) are pseudonymised too.
    let mut scanned = match (&pseudonymiser, scanned) {
        (Some(pseudonymiser), Err(error)) => return Err(scrub(error, pseudonymiser).into()),
        (_, scanned) => scanned?,
    };
    progress.finish();
    if let Some(pseudonymiser) = &pseudonymiser {
        pseudonymise(&mut scanned, pseudonymiser)?;
    }
    lap("read_and_aggregate", &mut stages);

    let mut inputs = Vec::with_capacity(scanned.parts.len());
    for report in &scanned.parts {
        let path = report.part.path.display().to_string();
        inputs.push(InputEntry {
            table: report.part.kind.name(),
            path: pseudonymiser.as_ref().map_or_else(|| path.clone(), |p| p.pseudonym(&path)),
            format: report.part.format.name(),
            sha256: sha256_file(&report.part.path)?,
            rows_read: report.rows_read,
            rows_accepted: report.rows_read - report.rows_rejected,
            rows_rejected: report.rows_rejected,
        });
    }
    lap("fingerprint_inputs", &mut stages);

    let entities_in_table = scanned.entities.len();
    let identifiers_in_table = scanned.entities.identifier_count();
    let rejections = scanned.rejections;
    let network = LinkNetwork::build(scanned.aggregator, scanned.entities)?;
    lap("resolve_entities", &mut stages);

    let weight = weight_kind(args.weight);
    let degrees = Degrees::compute(&network, weight)?;
    let mut key_players = None;
    // `nexo disrupt` and `nexo keyplayers` compute their answer instead of the measures.
    let (mut measured, detected, simulated) = match mode {
        Mode::Disrupt(removal) => {
            let simulated = disrupt::run(&network, args, removal, weight)?;
            lap("disruption", &mut stages);
            (Measured::default(), None, Some(simulated))
        }
        Mode::KeyPlayers(k, kind) => {
            let (found, entry) = keyplayers::find(&network, k, kind, weight, args.seed)?;
            lap("keyplayers", &mut stages);
            key_players = Some(found);
            (Measured { entries: vec![entry], ..Measured::default() }, None, None)
        }
        Mode::Measure => {
            let measured = measures::compute(&network, args, weight, quiet)?;
            lap("measures", &mut stages);
            let betweenness = NodeValues::floats(&measured.node_columns, "betweenness");
            let detected = communities::detect(&network, args, weight, betweenness)?;
            lap("communities", &mut stages);
            (measured, detected, None)
        }
    };
    let disruption = simulated.map(|s| {
        measured.entries.push(s.entry);
        s.steps
    });
    let curve = if quiet { None } else { disruption.clone() };
    let chosen = if quiet { None } else { key_players.clone() };
    let key_top = std::mem::take(&mut measured.key_top);

    let format = match args.format {
        FormatArg::Parquet => OutputFormat::Parquet,
        FormatArg::Csv => OutputFormat::Csv,
    };
    let mut communities = None;
    if let Some(found) = detected {
        measured.node_columns.push(("community", found.column));
        measured.entries.push(found.entry);
        communities = Some((found.profiles, found.by_betweenness));
    }
    let Measured {
        node_columns, edge_betweenness, groups, entries: measure_entries, warnings: measure_warnings, ..
    } = measured;
    // One entry per part, in the order of the parts, already pseudonymised.
    let input_files = inputs.iter().map(|input| input.path.clone()).collect();
    let tables =
        Tables { degrees, node_columns, edge_betweenness, communities, groups, disruption, key_players, input_files };
    let report_body = report::body(&report::Results {
        network: &network,
        degrees: &tables.degrees,
        columns: &tables.node_columns,
        communities: tables.communities.as_ref().map(|(profiles, _)| &profiles[..]),
        key_top: &key_top,
        disruption: tables.disruption.as_deref(),
        key_set: tables.key_players.as_ref(),
    });
    let run_id = run_id(args, &inputs, &mode, pseudonymiser.as_ref())?;
    let placement = Placement { run_id: &run_id, partitioned: args.partition };
    let options = (weight, format, &args.export[..]);
    let outputs = write_outputs(&staging, &placement, &network, tables, options, &rejections)?;
    lap("write", &mut stages);

    let counts = network.counts();
    let accepted: u64 = inputs.iter().filter(|i| i.table != "entities").map(|i| i.rows_accepted).sum();
    let mut warnings = measure_warnings;
    if !rejections.is_empty() {
        let rejected = args.out.join(placement.file("rejected.csv"));
        warnings.push(format!("{} rows rejected; see {}", rejections.len(), rejected.display()));
    }
    let mut manifest = Manifest {
        nexo_version: env!("CARGO_PKG_VERSION"),
        run_id: run_id.clone(),
        command_line: match pseudonymiser {
            // Paths and --node values may name people: the key holder has the command.
            Some(_) => vec!["nexo".into(), "(withheld: the outputs are pseudonymised)".into()],
            None => std::env::args().collect(),
        },
        parameters: parameters(args),
        threads: rayon::current_num_threads(),
        inputs,
        records: RecordEntry {
            accepted,
            linked: counts.linked,
            self_contacts: counts.self_contacts,
            outside_window: counts.outside_window,
            layer_not_selected: counts.layer_not_selected,
            rejected: rejections.len() as u64,
        },
        network: NetworkEntry {
            nodes: network.node_count(),
            links: network.links().len(),
            layers: network.layers().to_vec(),
            entities_in_table,
            identifiers_in_table,
        },
        measures: measure_entries,
        outputs,
        stages,
        warnings,
    };
    let page = report::page(&manifest, &network, report_body).render();
    let report_file = placement.file("report.html");
    let report_path = staging.path(&report_file);
    std::fs::write(&report_path, page).with_context(|| format!("writing {}", report_path.display()))?;
    manifest.outputs.push(OutputEntry { file: report_file, rows: None });
    let manifest_path = staging.path(&placement.file("manifest.json"));
    let json = serde_json::to_string_pretty(&manifest)?;
    std::fs::write(&manifest_path, json + "\n").with_context(|| format!("writing {}", manifest_path.display()))?;
    staging.commit()?;

    for warning in &manifest.warnings {
        eprintln!("warning: {warning}");
    }
    if !quiet {
        print_summary(&manifest, &args.out);
        if let Some(steps) = &curve {
            disrupt::print(&network, steps);
        }
        if let Some(found) = &chosen {
            keyplayers::print(&network, found);
        }
        if !key_top.is_empty() {
            println!("key nodes (mean percentile of the measures computed; reasons: top 1% or key player):");
            for key in &key_top {
                println!("{}", key.line(&network));
            }
        }
    }
    Ok(())
}

/// Refuses a `--run-id` that cannot name a directory, before any work.
fn check_run_id(args: &AnalyzeArgs) -> Result<()> {
    let Some(name) = &args.run_id else { return Ok(()) };
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if name.is_empty() || name.len() > 128 || !name.chars().all(allowed) || name.starts_with('.') {
        let message = format!("{name:?}: letters, digits, '.', '_' and '-' only (not first '.'), at most 128");
        return Err(nexo_io::Error::BadOption { option: "--run-id".into(), message }.into());
    }
    Ok(())
}

/// `--run-id`, or the first 16 hex digits of the SHA-256 of the
/// inputs' contents, the parameters and the command: a rerun of the same
/// analysis gets the same id, whatever the thread count or the paths.
fn run_id(
    args: &AnalyzeArgs,
    inputs: &[InputEntry],
    mode: &Mode<'_>,
    pseudonymiser: Option<&Pseudonymiser>,
) -> Result<String> {
    if let Some(name) = &args.run_id {
        return Ok(name.clone()); // checked by `check_run_id` before the run
    }
    let mut text = format!("nexo {}\n", env!("CARGO_PKG_VERSION"));
    text.push_str(&serde_json::to_string(&parameters(args))?);
    // Not the layout (--partition, --export): the same results keep their id in any layout.
    text.push_str(&format!("\n{mode:?}\n"));
    if let Some(profile) = &args.profile {
        text.push_str(&format!("profile {}\n", sha256_file(profile)?));
    }
    if let Some(pseudonymiser) = pseudonymiser {
        // Another key, other pseudonyms: another run.
        text.push_str(&format!("key {}\n", pseudonymiser.pseudonym("nexo run id")));
    }
    for input in inputs {
        text.push_str(&format!("{} {} {}\n", input.table, input.format, input.sha256));
    }
    Ok(sha256_hex(text.as_bytes())[..16].to_owned())
}

/// `error` without the raw values it may quote.
fn scrub(error: nexo_io::Error, pseudonymiser: &Pseudonymiser) -> nexo_io::Error {
    match error {
        nexo_io::Error::BadRow(rejection) => nexo_io::Error::BadRow(Box::new(pseudonymiser.rejection(&rejection))),
        nexo_io::Error::Graph(nexo_graph::Error::AmountOverflow { source, target }) => {
            nexo_io::Error::Graph(nexo_graph::Error::AmountOverflow {
                source: pseudonymiser.pseudonym(&source),
                target: pseudonymiser.pseudonym(&target),
            })
        }
        other => other,
    }
}

/// Replaces every identifier, entity key, label and attribute (but kind and
/// country) by its pseudonym, and the raw values of rejected rows, before
/// the network is built: no raw value reaches any output.
fn pseudonymise(scanned: &mut Scanned, pseudonymiser: &Pseudonymiser) -> Result<()> {
    let mut rename = |value: &str| pseudonymiser.pseudonym(value);
    scanned.aggregator.rename_identifiers(&mut rename)?;
    scanned.entities.rename(&mut rename, &[Entities::KIND, Entities::COUNTRY])?;
    for rejection in &mut scanned.rejections {
        *rejection = pseudonymiser.rejection(rejection);
    }
    Ok(())
}

pub(crate) fn input_parts(args: &AnalyzeArgs) -> Result<Vec<InputPart>> {
    let mut parts = match &args.dir {
        Some(dir) => discover(dir)?,
        None => Vec::new(),
    };
    let named = [
        (TableKind::Entities, &args.entities),
        (TableKind::Calls, &args.calls),
        (TableKind::Transfers, &args.transfers),
        (TableKind::Links, &args.links),
    ];
    for (kind, paths) in named {
        for path in paths {
            parts.extend(table_parts(kind, path)?);
        }
    }
    if parts.is_empty() {
        return Err(nexo_io::Error::BadOption {
            option: "analyze".into(),
            message: "no input: give a directory, or --calls/--transfers/--links FILE".into(),
        }
        .into());
    }
    Ok(parts)
}

pub(crate) fn scan_options(args: &AnalyzeArgs) -> Result<ScanOptions> {
    let mut profile = match &args.profile {
        Some(path) => Profile::load(path)?,
        None => Profile::default(),
    };
    for mapping in &args.columns {
        profile.set(mapping)?;
    }
    if args.timezone.is_some() {
        profile.timezone.clone_from(&args.timezone);
    }
    let time = TimeParser::new(profile.timezone.as_deref())?;
    let bound = |option: &str, value: &Option<String>| -> Result<Option<i64>> {
        value
            .as_deref()
            .map(|text| {
                time.parse(text).map_err(|reason| {
                    anyhow!(nexo_io::Error::BadOption { option: option.into(), message: format!("{reason}: {text:?}") })
                })
            })
            .transpose()
    };
    let selection =
        Selection { from: bound("--from", &args.from)?, to: bound("--to", &args.to)?, layers: args.layers.clone() };
    Ok(ScanOptions { profile, time, selection, strict: args.strict, evidence: args.evidence })
}

fn weight_kind(weight: WeightArg) -> WeightKind {
    match weight {
        WeightArg::Count => WeightKind::Count,
        WeightArg::Duration => WeightKind::Duration,
        WeightArg::Amount => WeightKind::Amount,
    }
}

fn parameters(args: &AnalyzeArgs) -> Parameters {
    Parameters {
        format: match args.format {
            FormatArg::Parquet => "parquet",
            FormatArg::Csv => "csv",
        },
        weight: match args.weight {
            WeightArg::Count => "count",
            WeightArg::Duration => "duration",
            WeightArg::Amount => "amount",
        },
        timezone: args.timezone.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        layers: args.layers.clone(),
        strict: args.strict,
        profile: args.profile.as_ref().map(|p| p.display().to_string()),
        columns: args.columns.clone(),
        measures: args.measures.iter().map(|m| format!("{m:?}").to_lowercase()).collect(),
        directed: args.directed,
        path_weight: match args.path_weight {
            PathWeightArg::Hops => "hops",
            PathWeightArg::Inverse => "inverse",
            PathWeightArg::Weight => "weight",
        },
        exact: args.exact,
        exact_limit: args.exact_limit,
        epsilon: args.epsilon,
        seed: args.seed,
        katz_alpha: args.katz_alpha,
        groups: args.groups.clone(),
        communities: format!("{:?}", args.communities).to_lowercase(),
        resolution: args.resolution,
        pseudonymised: args.pseudonymise_key.is_some(),
    }
}

fn print_summary(manifest: &Manifest, out: &Path) {
    for input in &manifest.inputs {
        println!(
            "{:<9} {}: {} rows read, {} accepted, {} rejected",
            input.table, input.path, input.rows_read, input.rows_accepted, input.rows_rejected
        );
    }
    let r = &manifest.records;
    println!(
        "records: {} linked, {} self-contacts dropped, {} outside the window, {} on other layers",
        r.linked, r.self_contacts, r.outside_window, r.layer_not_selected
    );
    let n = &manifest.network;
    println!("network: {} nodes, {} links on layers {}", n.nodes, n.links, n.layers.join(", "));
    if !manifest.measures.is_empty() {
        let measures: Vec<String> =
            manifest.measures.iter().map(|m| format!("{} ({}, {:.2} s)", m.measure, m.method, m.seconds)).collect();
        println!("measures: {}", measures.join("; "));
    }
    println!("written to {}", out.display());
    if let Some(report) = manifest.outputs.iter().find(|o| o.file.ends_with("report.html")) {
        println!("report for analysts: {} (opens in any browser, no network needed)", out.join(&report.file).display());
    }
}
