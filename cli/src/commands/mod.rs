pub mod format;
pub mod generate;
pub mod init;
pub mod validate;
