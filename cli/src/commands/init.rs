//! `orm init`: a starter `schema.orm` and `.env`, never overwriting either.

use std::path::Path;

use crate::Failed;
use crate::output;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum InitProvider {
    Sqlite,
    Postgresql,
    Mysql,
}

impl InitProvider {
    fn name(self) -> &'static str {
        match self {
            InitProvider::Sqlite => "sqlite",
            InitProvider::Postgresql => "postgresql",
            InitProvider::Mysql => "mysql",
        }
    }

    fn example_url(self) -> &'static str {
        match self {
            InitProvider::Sqlite => "sqlite://dev.db",
            InitProvider::Postgresql => "postgres://postgres@localhost:5432/app",
            InitProvider::Mysql => "mysql://root@localhost:3306/app",
        }
    }
}

pub fn run(provider: InitProvider) -> Result<(), Failed> {
    let schema = Path::new("schema.orm");
    let env = Path::new(".env");
    let existing: Vec<&str> = [schema, env, Path::new("schema.prisma")]
        .iter()
        .filter(|p| p.exists())
        .map(|p| p.to_str().unwrap_or("?"))
        .collect();
    if !existing.is_empty() {
        output::error(format!(
            "{} already exist(s); orm init writes nothing over existing files",
            existing.join(" and ")
        ));
        eprintln!("help: remove or rename them, or edit the existing schema");
        return Err(Failed);
    }
    let text = starter_schema(provider.name());
    let env_text = format!(
        "# Read by orm; the schema's datasource uses env(\"DATABASE_URL\").\nDATABASE_URL=\"{}\"\n",
        provider.example_url()
    );
    for (path, contents) in [(schema, text.as_str()), (env, env_text.as_str())] {
        if let Err(e) = write_new(path, contents) {
            output::error(format!("could not write `{}`: {e}", path.display()));
            return Err(Failed);
        }
    }
    println!("Wrote schema.orm ({}) and .env.", provider.name());
    println!("Next: edit schema.orm, then run `orm validate`.");
    Ok(())
}

/// Creates the file, failing if it appeared in the meantime.
fn write_new(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    f.write_all(contents.as_bytes())
}

pub fn starter_schema(provider: &str) -> String {
    format!(
        r#"// orm schema: models, enums and relations. Run `orm validate` after editing.

datasource db {{
  provider = "{provider}"
  url      = env("DATABASE_URL")
}}

generator client {{
  provider = "orm"
  output   = "src/db"
}}

/// A person who can write posts.
model User {{
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?
  posts     Post[]
  createdAt DateTime @default(now())
}}

model Post {{
  id        Int     @id @default(autoincrement())
  title     String
  published Boolean @default(false)
  author    User    @relation(fields: [authorId], references: [id])
  authorId  Int
}}
"#
    )
}
