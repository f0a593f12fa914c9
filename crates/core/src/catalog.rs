//! What Portcullis knows of AWS itself, as fixed tables: the [`services`] by namespace (service
//! last accessed reports), the names of [`service_roles`] (CreateServiceLinkedRole) and the
//! [`aws_managed`] policies under `arn:aws:iam::aws:policy/`.

pub mod aws_managed;
pub mod service_roles;
pub mod services;
