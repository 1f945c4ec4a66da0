//! End-to-end tests over real HTTP(S) on loopback.

mod common;
mod control;
mod faults;
mod gbds;
mod runai;
