pub mod db;
pub mod format;
pub mod generate;
pub mod init;
pub mod migrate;
pub mod validate;
