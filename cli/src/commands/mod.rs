pub mod format;
pub mod init;
pub mod validate;
