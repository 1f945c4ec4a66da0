//! tokenctl's own directories are private from the moment it creates them;
//! directories that are not its own keep the mode they had (issue 17).
// Unix only: checks Unix modes (0700) of the directories tokenctl makes.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::fixtures::{Login, PASSWORD};
use common::{Env, FakeServer, Store};

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn a_file_store_login_creates_its_directories_0700_and_leaves_the_state_home_alone() {
    let env = Env::new(Store::File);
    let fake = FakeServer::start();
    // A state home that does not exist yet, under a parent that is not ours
    // to change: created with the ordinary umask, then left as it is.
    let state = env.path("state/nested-home");
    let url = fake.url();
    let mut cmd = env.cmd();
    cmd.env("XDG_STATE_HOME", &state)
        .args(Login::runai(&url).argv())
        .write_stdin(PASSWORD);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&state.join("tokenctl")), 0o700, "tokenctl/ is ours");
    assert_eq!(mode(&state.join("tokenctl/tokens")), 0o700);
    assert_eq!(mode(&env.path("config/tokenctl")), 0o700, "config dir too");
    let state_mode = mode(&state);
    assert_eq!(
        state_mode & 0o700,
        0o700,
        "the state home is usable: {state_mode:o}"
    );
    // A state home the user made 0751 stays 0751.
    std::fs::set_permissions(env.path("state"), std::fs::Permissions::from_mode(0o751)).unwrap();
    env.login(&fake.url());
    assert_eq!(mode(&env.path("state")), 0o751, "not ours: unchanged");
    assert_eq!(mode(&env.path("state/tokenctl")), 0o700);
}
