//! Bad input never crashes and is never silently dropped.

use crate::common::Case;

const CALLS_HEADER: &str = "source,target,start,duration_s,kind\n";
const GOOD_CALL: &str = "+34600000001,+34600000002,2024-03-01 10:00:00,60,call\n";

/// A calls table with one good row, then `bad`.
fn calls_with(bad: &str) -> Case {
    let text = format!("{CALLS_HEADER}{GOOD_CALL}{bad}");
    Case::with(&[("calls.csv", text.as_bytes())])
}

/// Runs the case and returns its single rejected row as (line, column, reason, value).
fn single_rejection(case: &Case) -> (String, String, String, String) {
    let run = case.analyze(&[]).ok();
    run.assert_counts_balance();
    let rejected = run.rejected();
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    let r = &rejected[0];
    assert!(r["file"].ends_with(".csv"), "{r:?}");
    assert_eq!(run.manifest()["records"]["linked"], 1, "the good row is kept");
    (r["line"].clone(), r["column"].clone(), r["reason"].clone(), r["value"].clone())
}

#[test]
fn unparseable_timestamp_is_rejected_with_line_and_column() {
    let case = calls_with("+34600000001,+34600000003,31/02/2024 10h,60,call\n");
    let (line, column, reason, value) = single_rejection(&case);
    assert_eq!((line.as_str(), column.as_str()), ("3", "start"));
    assert_eq!(reason, "unparseable timestamp");
    assert_eq!(value, "31/02/2024 10h");
}

#[test]
fn negative_duration_is_rejected() {
    let case = calls_with("+34600000001,+34600000003,2024-03-01 11:00:00,-5,call\n");
    let (_, column, reason, _) = single_rejection(&case);
    assert_eq!((column.as_str(), reason.as_str()), ("duration_s", "negative value"));
}

#[test]
fn empty_identifier_is_rejected() {
    let case = calls_with(" ,+34600000003,2024-03-01 11:00:00,5,call\n");
    let (_, column, reason, _) = single_rejection(&case);
    assert_eq!((column.as_str(), reason.as_str()), ("source", "empty identifier"));
}

#[test]
fn missing_field_row_is_rejected_as_a_whole() {
    let case = calls_with("+34600000001,+34600000003\n");
    let (line, column, reason, _) = single_rejection(&case);
    assert_eq!((line.as_str(), column.as_str()), ("3", ""));
    assert_eq!(reason, "the row has 2 fields, the header 5");
}

#[test]
fn invalid_utf8_is_rejected() {
    let mut text = format!("{CALLS_HEADER}{GOOD_CALL}").into_bytes();
    text.extend_from_slice(b"+34600000001,+34600000003,2024-03-01 11:00:00,5,c\xffll\n");
    let case = Case::with(&[("calls.csv", &text)]);
    let (_, column, reason, _) = single_rejection(&case);
    assert_eq!((column.as_str(), reason.as_str()), ("kind", "invalid UTF-8"));
}

fn transfers_with(bad: &str) -> Case {
    let text = format!("source,target,time,amount\nES01,ES02,2024-03-01 10:00:00,100\n{bad}");
    Case::with(&[("transfers.csv", text.as_bytes())])
}

#[test]
fn negative_nan_missing_and_ambiguous_amounts_are_rejected() {
    for (amount, expected) in [
        ("-100", "negative value"),
        ("NaN", "not a number (NaN)"),
        ("", "missing amount"),
        ("\"1.234,50\"", "ambiguous thousands or decimal separators"),
        ("12 EUR", "not a number"),
    ] {
        let case = transfers_with(&format!("ES01,ES03,2024-03-02 10:00:00,{amount}\n"));
        let (line, column, reason, _) = single_rejection(&case);
        assert_eq!((line.as_str(), column.as_str(), reason.as_str()), ("3", "amount", expected), "{amount}");
    }
}

#[test]
fn identifier_of_two_entities_is_rejected() {
    let entities = "identifier,entity\n+34600000001,ANA\n0034 600 000 001,BEA\n";
    let text = format!("{CALLS_HEADER}{GOOD_CALL}");
    let case = Case::with(&[("calls.csv", text.as_bytes()), ("entities.csv", entities.as_bytes())]);
    let run = case.analyze(&[]).ok();
    run.assert_counts_balance();
    let rejected = run.rejected();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["line"], "3");
    assert!(rejected[0]["reason"].contains("belongs to entity \"ANA\""), "{:?}", rejected[0]);
}

#[test]
fn missing_required_column_is_fatal_and_names_file_and_column() {
    let case = Case::with(&[("calls.csv", b"source,target,duration_s\n1,2,3\n")]);
    let stderr = case.analyze(&[]).fails_cleanly();
    assert!(stderr.contains("calls.csv: no column \"start\" (for start)"), "{stderr}");
    assert!(stderr.contains("the file has: source, target, duration_s"), "{stderr}");
}

#[test]
fn empty_file_is_fatal() {
    let case = Case::with(&[("calls.csv", b"")]);
    let stderr = case.analyze(&[]).fails_cleanly();
    assert!(stderr.contains("calls.csv: the file is empty"), "{stderr}");
}

#[test]
fn truncated_parquet_is_fatal() {
    let case = Case::with(&[("calls.parquet", b"PAR1\x15\x04\x15\x10\x15\x14")]);
    let stderr = case.analyze(&[]).fails_cleanly();
    assert!(stderr.contains("calls.parquet: not a readable Parquet file"), "{stderr}");
}

#[test]
fn unknown_timezone_is_fatal() {
    let case = calls_with("");
    let stderr = case.analyze(&["--timezone", "Europe/Atlantis"]).fails_cleanly();
    assert!(stderr.contains("unknown time zone \"Europe/Atlantis\""), "{stderr}");
}

#[test]
fn strict_stops_at_the_first_bad_row() {
    let case =
        calls_with("+34600000001,+34600000003,2024-03-01 11:00:00,-1,call\n+34600000001,+34600000003,never,1,call\n");
    let stderr = case.analyze(&["--strict"]).fails_cleanly();
    assert!(stderr.contains("calls.csv:3: column \"duration_s\": negative value (value \"-1\")"), "{stderr}");
}

#[test]
fn unknown_profile_field_is_fatal() {
    let case = calls_with("");
    let stderr = case.analyze(&["--column", "calls.colour=x"]).fails_cleanly();
    assert!(stderr.contains("calls has no field \"colour\""), "{stderr}");
}

#[test]
fn bad_window_bound_is_fatal() {
    let case = calls_with("");
    let stderr = case.analyze(&["--from", "last tuesday"]).fails_cleanly();
    assert!(stderr.contains("--from: unparseable timestamp"), "{stderr}");
}

#[test]
fn directory_without_records_is_fatal() {
    let case = Case::with(&[("notes.txt", b"nothing here")]);
    let stderr = case.analyze(&[]).fails_cleanly();
    assert!(stderr.contains("no calls, transfers or links table"), "{stderr}");
}

#[test]
fn fatal_error_keeps_previous_outputs_intact() {
    let case = calls_with("");
    let first = case.analyze(&[]).ok();
    let nodes = std::fs::read(first.out.join("nodes.parquet")).expect("nodes");
    std::fs::write(case.path().join("calls.csv"), b"").expect("truncate");
    let second = case.analyze(&[]);
    assert_eq!(second.code(), 2);
    assert_eq!(std::fs::read(first.out.join("nodes.parquet")).expect("nodes"), nodes);
}
