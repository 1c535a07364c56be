//! Diagnostics: every problem found in a schema, with a stable code, a span and a help line.
//!
//! Codes never change meaning once released, so tests and users can rely on them; the message
//! text may improve. `E` codes are errors, `W` codes warnings. The list below is the catalogue.

use crate::span::Span;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, )*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $(#[$doc])* $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// `E0201`, `W0001`, …
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            pub fn parse(s: &str) -> Option<Code> {
                match s { $( $code => Some(Code::$variant), )* _ => None }
            }

            pub fn severity(self) -> Severity {
                if self.as_str().starts_with('W') { Severity::Warning } else { Severity::Error }
            }
        }
    };
}

codes! {
    // ---- reading and syntax ----
    /// The file is not valid UTF-8.
    InvalidUtf8 = "E0001",
    /// A top-level line that is not a block, a comment or empty.
    InvalidTopLevelLine = "E0002",
    /// A line inside a block that is not a field, an attribute or a comment.
    InvalidBlockLine = "E0003",
    /// A block whose keyword is not model / view / enum / datasource / generator.
    UnknownBlockKind = "E0004",
    /// A block without its closing `}`.
    UnclosedBlock = "E0005",
    /// A malformed type suffix such as `[]?` or `!`.
    InvalidTypeSuffix = "E0006",
    /// A string literal with an invalid escape.
    InvalidString = "E0007",
    /// A member that has no place in its block (a field without a type, a property in a model …).
    InvalidMember = "E0008",

    // ---- names ----
    /// Two top-level blocks (models, views, enums, types) with the same name.
    DuplicateTopLevelName = "E0101",
    /// Two fields of a model with the same name.
    DuplicateField = "E0102",
    /// Two values of an enum with the same name.
    DuplicateEnumValue = "E0103",
    /// The same attribute twice where it may appear once.
    DuplicateAttribute = "E0104",
    /// Two models (or enums) that map to the same database name.
    DuplicateDatabaseName = "E0105",
    /// Two fields of a model that map to the same column.
    DuplicateColumnName = "E0106",
    /// A name that would break the generated Rust client.
    ReservedName = "E0107",
    /// A name that is not a valid identifier (starts with a digit, contains `-` …).
    InvalidName = "E0108",
    /// Two datasource or generator blocks with the same name, or a second datasource.
    DuplicateConfigBlock = "E0109",

    // ---- types ----
    /// A field type that is neither a scalar, an enum, a model nor a view.
    UnknownType = "E0201",
    /// A scalar list on a provider without list columns.
    ScalarListUnsupported = "E0202",
    /// A `@db.*` native type the provider does not have.
    UnknownNativeType = "E0203",
    /// A native type that does not fit the field's scalar type.
    NativeTypeMismatch = "E0204",
    /// A native type with wrong arguments.
    InvalidNativeTypeArguments = "E0205",
    /// A composite `type` block, which only MongoDB supports.
    CompositeTypeUnsupported = "E0206",

    // ---- attributes ----
    /// An attribute `orm` does not know.
    UnknownAttribute = "E0301",
    /// An attribute argument that is missing, unknown or of the wrong kind.
    InvalidArgument = "E0302",
    /// An attribute on a field or block where it does not apply.
    AttributeNotAllowed = "E0303",
    /// A default value that does not fit the field's type.
    InvalidDefault = "E0304",
    /// A default function that does not exist.
    UnknownDefaultFunction = "E0305",
    /// `autoincrement()` where the provider cannot do it.
    InvalidAutoincrement = "E0306",
    /// An index, unique or id naming a field that does not exist or cannot be indexed.
    InvalidIndexField = "E0307",
    /// More than one primary key on a model.
    MultiplePrimaryKeys = "E0308",
    /// A model with no `@id`, `@@id`, `@unique` or `@@unique` on required fields.
    NoUniqueCriterion = "E0309",
    /// `@updatedAt` on a field that is not `DateTime`.
    InvalidUpdatedAt = "E0310",
    /// A constraint name (`map:`) used twice.
    DuplicateConstraintName = "E0311",
    /// An optional field in a primary key.
    OptionalIdField = "E0312",
    /// An argument that the provider does not support (e.g. `type: Hash` on SQLite).
    ProviderUnsupportedArgument = "E0313",
    /// `@@schema` missing where the datasource lists `schemas`, or naming a schema it does not list.
    InvalidSchemaAnnotation = "E0314",

    // ---- relations ----
    /// A relation field whose opposite field is missing on the other model.
    MissingOppositeRelationField = "E0401",
    /// Two or more relations between the same models that cannot be told apart.
    AmbiguousRelation = "E0402",
    /// A relation name used by more than two fields, or a self relation named inconsistently.
    InvalidRelationName = "E0403",
    /// In a one-to-one relation, the side without `fields` must be optional.
    OneToOneBackSideRequired = "E0404",
    /// In a one-to-one relation, the `fields` must be unique.
    OneToOneFieldsNotUnique = "E0405",
    /// `fields` and `references` have different lengths.
    RelationArgumentCountMismatch = "E0406",
    /// A field in `fields` has another type than the field it references.
    RelationTypeMismatch = "E0407",
    /// `references` does not name a unique criterion of the referenced model.
    ReferencesNotUnique = "E0408",
    /// A required relation field over optional scalar fields.
    RequiredRelationOverOptionalFields = "E0409",
    /// Both sides of a relation define `fields` / `references`, or neither does.
    InvalidRelationSides = "E0410",
    /// `fields` or `references` name a field that does not exist or is a relation.
    UnknownRelationField = "E0411",
    /// A referential action the provider does not support.
    UnsupportedReferentialAction = "E0412",
    /// `SetNull` on a relation whose scalar fields are required.
    SetNullOnRequiredField = "E0413",
    /// `fields` without `references` or the other way round.
    IncompleteRelationArguments = "E0414",
    /// An implicit many-to-many relation on a model without a single-field `@id`.
    InvalidManyToMany = "E0415",
    /// Referential actions on the side of a relation that does not hold the foreign key.
    ActionsOnWrongSide = "E0416",
    /// A relation field to an `@@ignore`d model that is not itself `@ignore`d.
    RelationToIgnoredModel = "E0417",

    // ---- datasource and generators ----
    /// No datasource block.
    MissingDatasource = "E0501",
    /// A datasource or generator without `provider`.
    MissingProvider = "E0502",
    /// A provider that does not exist.
    UnknownProvider = "E0503",
    /// A provider that exists but that `orm` does not serve (sqlserver, mongodb).
    UnsupportedProvider = "E0504",
    /// A malformed datasource or generator property.
    InvalidConfigProperty = "E0505",

    // ---- warnings ----
    /// A preview feature `orm` does not know; it is ignored.
    UnknownPreviewFeature = "W0001",
    /// A generator for another tool; `orm` ignores it.
    ForeignGenerator = "W0002",
    /// A datasource property `orm` does not use.
    IgnoredProperty = "W0003",
    /// `SetNull` on required fields where the database would refuse it at run time.
    SetNullOnRequiredFieldWarning = "W0004",
    /// An attribute `orm` accepts but does not act on.
    IgnoredAttribute = "W0005",
    /// Text after the `{` of a block's first line that is not a field: ignored, as by Prisma.
    IgnoredHeaderText = "W0006",
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub span: Span,
    /// Text under the underline; defaults to nothing.
    pub label: Option<String>,
    /// What to do about it: "did you mean `Post`?".
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { code, message: message.into(), span, label: None, help: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

/// The diagnostics of one run, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file and position, errors and warnings interleaved as they appear in the text.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort_by_key(|d| (d.span.file, d.span.start, d.code));
        v.dedup();
        v
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
}

/// "did you mean …" for `name` among `candidates`, when one is close enough.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let score = if c.to_lowercase() == lower { 1.0 } else { strsim::jaro_winkler(&lower, &c.to_lowercase()) };
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}
