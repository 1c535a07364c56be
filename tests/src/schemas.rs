//! The schemas the migration tests run on every backend: `schema.example.orm` (its provider
//! switched to the backend's), every `codegen/tests/from_empty/*_<provider>.prisma` fixture, and
//! the real-world schemas of the shared corpus that the server can hold (`citext`, `pg_trgm` and
//! PostGIS, which `.ci/run` installs, are created first; pgvector is not installed).

use std::path::{Path, PathBuf};

use orm_db_schema::Dialect;

/// A schema to migrate, and the statements its database needs first.
pub struct Case {
    pub name: String,
    pub text: String,
    pub setup: Vec<&'static str>,
}

/// `text` with its `provider = "sqlite"` datasource switched to `dialect`'s.
fn switch_provider(name: &str, text: &str, dialect: Dialect) -> String {
    let sqlite = r#"provider = "sqlite""#;
    assert!(text.contains(sqlite), "{name} no longer says {sqlite}");
    text.replacen(sqlite, &format!(r#"provider = "{}""#, dialect.provider()), 1)
}

/// Names and values that need every kind of escaping: quotes of each dialect, backslashes,
/// spaces, in tables, columns, constraints, enum names and values, and string defaults.
const HOSTILE: &str = r#"
enum Kind {
  A
  B @map("b'q\"`x\\")

  @@map("kind\"s`")
}

model T {
  id   Int    @id @default(autoincrement()) @map("i\"d`")
  k    Kind   @default(B)
  s    String @default("it's \\ \"x\" `y`") @map("col ` \" '")
  tags U[]

  @@index([s, k], map: "ix \" ` '")
  @@map("ta\"b`le x")
}

model U {
  id  Int @id
  tId Int
  t   T   @relation(fields: [tId], references: [id])

  @@map("u'")
}
"#;

/// The example schema, the hostile-names schema and the codegen fixtures of `dialect`.
pub fn own_cases(dialect: Dialect) -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let example = std::fs::read_to_string(root.join("schema.example.orm")).expect("read schema.example.orm");
    let mut out = vec![Case {
        name: "schema.example.orm".to_owned(),
        text: switch_provider("schema.example.orm", &example, dialect),
        setup: Vec::new(),
    }];
    out.push(Case {
        name: "hostile names".to_owned(),
        text: format!("datasource db {{\n  provider = \"{}\"\n}}\n{HOSTILE}", dialect.provider()),
        setup: Vec::new(),
    });
    let dir = root.join("codegen/tests/from_empty");
    let suffix = format!("_{}.prisma", dialect.provider());
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("fixture entry").path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(&suffix)))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty(), "no {suffix} fixtures in {}", dir.display());
    for path in fixtures {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        out.push(Case { name, text, setup: Vec::new() });
    }
    out
}

/// Corpus projects by provider; the SQLite ones also run on the other backends.
const POSTGRES_CORPUS: &[&str] = &[
    "documenso__documenso",
    "formbricks__formbricks",
    "hoppscotch__hoppscotch",
    "langfuse__langfuse",
    "lukevella__rallly",
    "mfts__papermark",
    "webstudio-is__webstudio",
    "prisma__prisma-examples__orm-postgis-express",
];
const MYSQL_CORPUS: &[&str] = &["umami-software__umami"];
const SQLITE_CORPUS: &[&str] = &[
    "redwoodjs__example-blog",
    "t3-oss__create-t3-app",
    "prisma__prisma-examples__orm-typedsql",
    "prisma__prisma-examples__data-modeling-delegated-types",
];

/// The corpus schemas for `dialect` (each project's joined `schema.prisma`).
pub fn corpus_cases(dialect: Dialect) -> Vec<Case> {
    let own: &[&str] = match dialect {
        Dialect::Sqlite => &[],
        Dialect::Postgres => POSTGRES_CORPUS,
        Dialect::Mysql => MYSQL_CORPUS,
    };
    let read = |project: &str| {
        let path = crate::corpus_dir().join(project).join("schema.prisma");
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("the corpus schema {} is missing: {e}", path.display()))
    };
    let mut out = Vec::new();
    for project in own {
        let setup = match *project {
            "lukevella__rallly" => vec!["CREATE EXTENSION IF NOT EXISTS citext"],
            "documenso__documenso" => vec!["CREATE EXTENSION IF NOT EXISTS pg_trgm"],
            "prisma__prisma-examples__orm-postgis-express" => vec!["CREATE EXTENSION IF NOT EXISTS postgis"],
            _ => Vec::new(),
        };
        out.push(Case { name: (*project).to_owned(), text: read(project), setup });
    }
    for project in SQLITE_CORPUS {
        let text = read(project);
        let text = if dialect == Dialect::Sqlite { text } else { switch_provider(project, &text, dialect) };
        out.push(Case { name: format!("{project} (as {})", dialect.provider()), text, setup: Vec::new() });
    }
    out
}
