//! End-to-end tests over real HTTP(S) on loopback.

mod authorize;
mod common;
mod control;
mod faults;
mod gbds;
mod kube;
mod oauth2;
mod resources;
mod runai;
