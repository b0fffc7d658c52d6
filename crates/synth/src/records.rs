//! The rows a generated case is made of, before they become text.

use crate::ident::{EntityKey, Ident};

/// A call or text message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Call {
    /// Caller's phone.
    pub source: Ident,
    /// Callee's phone.
    pub target: Ident,
    /// UTC microseconds.
    pub start: i64,
    /// Seconds (0 for a text message).
    pub duration_s: i64,
    /// A text message rather than a voice call.
    pub sms: bool,
}

/// A bank transfer or remittance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transfer {
    /// Payer's account.
    pub source: Ident,
    /// Payee's account.
    pub target: Ident,
    /// UTC microseconds.
    pub time: i64,
    /// Amount in cents of `currency`.
    pub cents: i64,
    /// ISO 4217 code.
    pub currency: &'static str,
}

/// How an identifier is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentKind {
    /// A person's own, registered phone.
    Phone,
    /// A phone kept for criminal business.
    Operational,
    /// A prepaid phone used for a few weeks, then dropped.
    Burner,
    /// A bank account.
    Account,
}

impl IdentKind {
    /// The name written in the truth table.
    pub fn name(self) -> &'static str {
        match self {
            IdentKind::Phone => "phone",
            IdentKind::Operational => "operational_phone",
            IdentKind::Burner => "burner_phone",
            IdentKind::Account => "account",
        }
    }
}

/// One identifier and its true owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owned {
    /// The identifier.
    pub ident: Ident,
    /// How it is used.
    pub kind: IdentKind,
    /// Who owns it.
    pub owner: EntityKey,
    /// Who else uses it, for shared phones.
    pub shared_with: Option<EntityKey>,
    /// Whether the analyst's entities table resolves it to its owner.
    pub resolved: bool,
}

/// What someone is in the case: for the truth table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truth {
    /// The person or company.
    pub key: EntityKey,
    /// Name.
    pub label: String,
    /// Index into `COUNTRIES`.
    pub country: u8,
    /// Organisation number, or `None` for the background.
    pub organisation: Option<u32>,
    /// Role name (`none` for the background).
    pub role: &'static str,
    /// Cell within the organisation (`none` for the background).
    pub cell: &'static str,
    /// Town number: the local community of the background.
    pub town: u64,
}

/// Everything generated for a run of people, in output order.
#[derive(Debug, Default)]
pub struct Chunk {
    /// Calls and messages.
    pub calls: Vec<Call>,
    /// Transfers.
    pub transfers: Vec<Transfer>,
    /// Every identifier, with its owner.
    pub identifiers: Vec<Owned>,
    /// Every person and company.
    pub truth: Vec<Truth>,
}
