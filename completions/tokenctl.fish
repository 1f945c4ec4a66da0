# Profile names for `--profile`, from tokenctl's completion engine: the
# config named by --config on the line, else $TOKENCTL_CONFIG, else the
# default one. Names only: never a file name, never a secret.
function __tokenctl_profiles
    set -l words (commandline --current-process --tokenize --cut-at-cursor)
    set -l config
    set -l i 2
    while test $i -le (count $words)
        switch $words[$i]
            case --config
                set i (math $i + 1)
                set config $words[$i]
            case '--config=*'
                set config (string replace -- --config= '' $words[$i])
        end
        set i (math $i + 1)
    end
    set -l bin $words[1]
    if test -n "$config"
        env TOKENCTL_CONFIG=(string replace -r -- '^~' $HOME $config) TOKENCTL_COMPLETE=fish $bin -- $bin --profile '' 2>/dev/null
    else
        env TOKENCTL_COMPLETE=fish $bin -- $bin --profile '' 2>/dev/null
    end
end

# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tokenctl_global_optspecs
    string join \n p/profile= config= store= o/output= env-var= show-refresh-token v/verbose connect-timeout= timeout= keychain-timeout= q/quiet color= h/help V/version
end

function __fish_tokenctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    if not argparse -s (__fish_tokenctl_global_optspecs) -- $cmd 2>/dev/null
        # The last word may be an option waiting for its value.
        set -e cmd[-1]
        argparse -s (__fish_tokenctl_global_optspecs) -- $cmd 2>/dev/null
        or return
    end
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tokenctl_using_subcommand
    set -l cmd (__fish_tokenctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tokenctl -n "__fish_tokenctl_needs_command" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_needs_command" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_needs_command" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_needs_command" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_needs_command" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_needs_command" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_needs_command" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_needs_command" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_needs_command" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_needs_command" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "login" -d 'Log in with a user name and password, an access key or service account, an external token, or SSO in a browser, and store the tokens'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "refresh" -d 'Renew the stored tokens now (Run:ai refresh token, GBDS TOKEN grant)'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "exchange-code" -d 'Exchange an authorization code from the identity provider for tokens'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "app-token" -d 'Log in as a service account or access key with a client id and secret (the 2.19 client\'s app_token method; see also `login --access-key`)'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "token" -d 'Print the access token, renewing it first when it is about to expire'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "kubectl-credential" -d 'kubectl exec-credential plugin: `token -o exec-credential`'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "kubeconfig" -d 'Print (or --write) a kubeconfig user that runs tokenctl as its credential plugin'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "runai-config" -d 'Print (or --write) the Run:ai CLI\'s and Python SDK\'s config directory (config.json, authentication.json)'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "logout" -d 'Delete stored tokens'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "status" -d 'Show profiles, their servers and token expiry (never a token)'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "exec" -d 'Run a command with a fresh token in its environment and in a file kept fresh while it runs'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "doctor" -d 'Check the config, the token store, the server, the clock and kubectl; one line each with a fix'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "generate" -d 'Write completion scripts or man pages (for packagers; the copies in the repository come from here)'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "version" -d 'Print the version, the commit, the target, the token stores compiled in and the build date (-o json for bug reports)'
complete -c tokenctl -n "__fish_tokenctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l server -d 'Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile [default: the profile\'s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l api -d 'API the server speaks; saved in the profile. `runai` finds the newest Run:ai token endpoint at each login (/api/v2/token, else /api/v1/token on servers before 2.24) and remembers it [default: runai]' -r -f -a "runai\t'NVIDIA Run:ai, the newest token endpoint the server has: /api/v2/token, else (before 2.24) /api/v1/token'
runai-v1\t'Run:ai\'s /api/v1/token only (2.19 to 3.0; deprecated in 3.0)'
runai-v2\t'Run:ai\'s OAuth2 endpoint /api/v2/token only (2.24 and later); `runai-oauth2` is its earlier name'
runai-2.19\t'Run:ai 2.19 (`POST /api/v1/token`; deprecated endpoints with --legacy-endpoints)'
gbds\t'Griaule GBDS 4.7 (`POST /tokens`)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l ca-file -d 'Also trust the CA certificates in this PEM file (a corporate CA); saved in the profile [default: the profile\'s `ca_file`, else only the platform\'s trust store]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -s u -l username -d 'User name [default: the profile\'s; prompted on a terminal]; with --browser, a hint for the login page' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l access-key -l client-id -d 'Log in as a service account or with a user access key: its client ID (Run:ai `client_credentials`). The secret is kept in the keychain, so tokenctl renews by itself [default: off: log in with a password]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l secret-file -d 'With --access-key: read the secret from this file (its first line) [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l external-token-from -d 'CI: exchange the job\'s identity token from SOURCE (github-actions, env:NAME, file:PATH); saved in the profile, and read again at each renewal, so no secret is stored [default: off]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l audience -d 'With --external-token-from github-actions: the audience (`aud`) to ask for; saved in the profile [default: the profile\'s, else GitHub\'s default]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l auth-url -d 'Authorization endpoint; saved in the profile [default: <server>/auth/realms/runai/protocol/openid-connect/auth]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l oidc-client-id -d 'OIDC client of the login page; saved in the profile [default: runai-cli]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l scope -d 'Scopes to ask for; saved in the profile [default: "openid offline_access"]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l callback-port -d 'Loopback port for the callback, 0 for any free port; saved in the profile [default: 43121]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l browser-timeout -d 'How long to wait for the browser [default: the profile\'s `browser_timeout`, else 180s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l remote-redirect-uri -d 'Where the provider shows the code to copy; saved in the profile [default: <server>/oauth-code]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l allow-http -d 'Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile\'s, else off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l legacy-endpoints -d 'Run:ai 2.19: use the deprecated refresh, code-exchange and app-token endpoints (the refresh token and code travel in URLs there); saved in the profile [default: the profile\'s `legacy_endpoints`, else off: `/api/v1/token`, falling back after a 404/405]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l password-stdin -d 'Read the password from stdin [default: off: $TOKENCTL_PASSWORD, else a prompt]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l client-secret-stdin -l secret-stdin -d 'With --access-key: read the secret from stdin [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l no-save-secret -d 'With --access-key: do not keep the secret; renewal then reads $TOKENCTL_CLIENT_SECRET [default: off: the keychain or kernel keyring keeps it; the file store never does]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l external-token-stdin -d 'Log in with a token from an external identity provider, read from stdin (Run:ai `external_token_exchange`) [default: off: log in with a password]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l browser -d 'SSO: log in on the identity provider\'s page in a browser; the code comes back to a loopback listener [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l remote-browser -d 'SSO without a local browser (SSH): print the login URL, then paste the code the page shows [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l no-open -d 'Do not start a browser; only print the URL to open [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l code-stdin -d 'Read the code (or the whole redirect URL) from stdin instead of the terminal [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand login" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -l lock-timeout -d 'How long to wait for another tokenctl that is renewing the same profile' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -l refresh-token-stdin -d 'Read the refresh token from stdin instead of the store [default: off: $TOKENCTL_REFRESH_TOKEN, else the stored one]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand refresh" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l server -d 'Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile [default: the profile\'s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l api -d 'API the server speaks; saved in the profile. `runai` finds the newest Run:ai token endpoint at each login (/api/v2/token, else /api/v1/token on servers before 2.24) and remembers it [default: runai]' -r -f -a "runai\t'NVIDIA Run:ai, the newest token endpoint the server has: /api/v2/token, else (before 2.24) /api/v1/token'
runai-v1\t'Run:ai\'s /api/v1/token only (2.19 to 3.0; deprecated in 3.0)'
runai-v2\t'Run:ai\'s OAuth2 endpoint /api/v2/token only (2.24 and later); `runai-oauth2` is its earlier name'
runai-2.19\t'Run:ai 2.19 (`POST /api/v1/token`; deprecated endpoints with --legacy-endpoints)'
gbds\t'Griaule GBDS 4.7 (`POST /tokens`)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l ca-file -d 'Also trust the CA certificates in this PEM file (a corporate CA); saved in the profile [default: the profile\'s `ca_file`, else only the platform\'s trust store]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l code -d 'Authorization code from the identity provider\'s redirect (single use) [default: none: required unless --code-stdin]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l redirect-uri -d 'The redirect URI the code was issued for [default: none: required]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l oidc-client-id -d 'OIDC client the code was issued to (`client_id` of the login page\'s URL); saved in the profile [default: the profile\'s `oidc_client_id`, else runai-cli]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l allow-http -d 'Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile\'s, else off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l legacy-endpoints -d 'Run:ai 2.19: use the deprecated refresh, code-exchange and app-token endpoints (the refresh token and code travel in URLs there); saved in the profile [default: the profile\'s `legacy_endpoints`, else off: `/api/v1/token`, falling back after a 404/405]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l code-stdin -d 'Read the authorization code from stdin [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exchange-code" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l server -d 'Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile [default: the profile\'s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l api -d 'API the server speaks; saved in the profile. `runai` finds the newest Run:ai token endpoint at each login (/api/v2/token, else /api/v1/token on servers before 2.24) and remembers it [default: runai]' -r -f -a "runai\t'NVIDIA Run:ai, the newest token endpoint the server has: /api/v2/token, else (before 2.24) /api/v1/token'
runai-v1\t'Run:ai\'s /api/v1/token only (2.19 to 3.0; deprecated in 3.0)'
runai-v2\t'Run:ai\'s OAuth2 endpoint /api/v2/token only (2.24 and later); `runai-oauth2` is its earlier name'
runai-2.19\t'Run:ai 2.19 (`POST /api/v1/token`; deprecated endpoints with --legacy-endpoints)'
gbds\t'Griaule GBDS 4.7 (`POST /tokens`)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l ca-file -d 'Also trust the CA certificates in this PEM file (a corporate CA); saved in the profile [default: the profile\'s `ca_file`, else only the platform\'s trust store]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l client-id -d 'The service account\'s or access key\'s client ID (an "application" before 3.0) [default: the profile\'s]; saved in the profile' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l secret-file -d 'Read the client secret from this file (its first line) [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l grant -d 'Grant to use [default: client_credentials; on runai-2.19 its app_token grant (the deprecated endpoint with --legacy-endpoints)]' -r -f -a "client_credentials\t'`client_credentials`: a service account or access key (Run:ai 2.23 and later)'
app_token\t'`app_token` with appID/appSecret on /api/v1/token (deprecated in 2.23, gone in 3.0)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l app-name -d 'Application name, required by the Run:ai 2.19 app token endpoint; saved in the profile [default: the profile\'s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l allow-http -d 'Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile\'s, else off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l legacy-endpoints -d 'Run:ai 2.19: use the deprecated refresh, code-exchange and app-token endpoints (the refresh token and code travel in URLs there); saved in the profile [default: the profile\'s `legacy_endpoints`, else off: `/api/v1/token`, falling back after a 404/405]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l client-secret-stdin -l secret-stdin -d 'Read the client secret from stdin [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l save-secret -d 'Keep the client secret in the OS keychain so `tokenctl token` can renew the token (`login --access-key` always does) [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand app-token" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l min-valid -d 'Renew first when the token has less than this left [default: the profile\'s `min_valid`, else 60s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l api-version -d 'ExecCredential apiVersion when kubectl does not say it in $KUBERNETES_EXEC_INFO' -r -f -a "v1\t'client.authentication.k8s.io/v1 (kubectl 1.22+)'
v1beta1\t'client.authentication.k8s.io/v1beta1'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l kube-token -d 'Token kubectl gets with -o exec-credential: `access`, or `id` for clusters whose API server validates id tokens [default: the profile\'s `kube_token`, else access]' -r -f -a "access\t'The access token'
id\t'The id token (OIDC), for API servers that validate id tokens'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l lock-timeout -d 'How long to wait for another tokenctl that is renewing the same profile' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l interactive -d 'When renewal is impossible and a person is at the terminal, log in again the way the profile was created (password prompt, browser login, external token source) instead of failing [default: the profile\'s `interactive`, else off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand token" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l min-valid -d 'Renew first when the token has less than this left [default: the profile\'s `min_valid`, else 60s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l api-version -d 'ExecCredential apiVersion when kubectl does not say it in $KUBERNETES_EXEC_INFO' -r -f -a "v1\t'client.authentication.k8s.io/v1 (kubectl 1.22+)'
v1beta1\t'client.authentication.k8s.io/v1beta1'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l kube-token -d 'Token kubectl gets with -o exec-credential: `access`, or `id` for clusters whose API server validates id tokens [default: the profile\'s `kube_token`, else access]' -r -f -a "access\t'The access token'
id\t'The id token (OIDC), for API servers that validate id tokens'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l lock-timeout -d 'How long to wait for another tokenctl that is renewing the same profile' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l interactive -d 'When renewal is impossible and a person is at the terminal, log in again the way the profile was created (password prompt, browser login, external token source) instead of failing [default: the profile\'s `interactive`, else off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubectl-credential" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l user -d 'kubeconfig user name [default: tokenctl-<profile>]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l cluster -d 'Also bind this cluster to the user in a context named <user>@<cluster> [default: none: no context]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l api-version -d 'ExecCredential apiVersion for the entry' -r -f -a "v1\t'client.authentication.k8s.io/v1 (kubectl 1.22+)'
v1beta1\t'client.authentication.k8s.io/v1beta1'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l kube-token -d 'Token the entry gives kubectl: `id` adds `--kube-token id` to its exec args [default: the profile\'s `kube_token`, else access]' -r -f -a "access\t'The access token'
id\t'The id token (OIDC), for API servers that validate id tokens'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l command -d 'The command kubectl runs [default: this tokenctl\'s absolute path]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l kubectl -d 'The kubectl used by --write' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l write -d 'Write the entry with `kubectl config` (honours $KUBECONFIG) instead of printing it [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand kubeconfig" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l dir -d 'The directory the Run:ai CLI and runapy read [default: $RUNAI_CLI_CONFIG_PATH, else ~/.runai]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l cluster-uuid -d 'The cluster config.json names [default: the one it names for this server, else the only cluster the server lists]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l min-valid -d 'Renew first when the token has less than this left [default: the profile\'s `min_valid`, else 60s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l lock-timeout -d 'How long to wait for another tokenctl that is renewing the same profile' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l write -d 'Write authentication.json and config.json (0600, atomically) instead of printing config.json [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand runai-config" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -l lock-timeout -d 'How long to wait for another tokenctl that is renewing the same profile' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -l all -d 'Remove the stored tokens of every profile [default: off: only the selected profile]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand logout" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -l all -d 'Show every profile, not only the selected one [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -l claims -d 'Also show what the stored access and id tokens say: issuer, subject, audience, expiry, user, email, groups and roles (decoded, not verified; never the token) [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand status" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -l min-valid -d 'Renew the token (and rewrite the file) when it has less than this left [default: the profile\'s `min_valid`, else 60s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -l lock-timeout -d 'How long to wait for another tokenctl that is renewing the same profile' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -l runai-config -d 'Also write the Run:ai CLI\'s and runapy\'s config directory there (as `runai-config --write --dir DIR`), its token rewritten at each renewal; the command gets $RUNAI_CLI_CONFIG_PATH=DIR [default: off]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand exec" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -l kubectl -d 'The kubectl to look for and ask about the kubeconfig' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -l all -d 'Check every profile, not only the selected one [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -l dir -d 'Directory to write into (created if missing) [default: none: required]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand generate" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -s p -l profile -d 'Profile to use: a named server, API and identity from the config file' -r -f -a "(__tokenctl_profiles)"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -l config -d 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]' -r -F
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -l store -d 'Where tokens are kept [default: the profile\'s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]' -r -f -a "auto\t'The keychain when it answers within --keychain-timeout, else (Linux) the kernel keyring'
keychain\t'The OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)'
kernel\t'Linux: the user\'s persistent keyring in the kernel (memory only, cleared at reboot)'
file\t'A 0600 JSON file per profile under the user\'s state directory'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -s o -l output -d 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`' -r -f -a "token\t'The access token and a newline'
header\t'`Authorization: Bearer <token>`'
env\t'`export TOKENCTL_TOKEN=\'<token>\'` (name set by --env-var)'
json\t'Access token, id token, expiry and profile as JSON'
exec-credential\t'A kubectl `ExecCredential` (client.authentication.k8s.io)'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -l env-var -d 'Variable name for `-o env`, and the variable `exec` gives the command the token in' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -l connect-timeout -d 'Connect timeout for server requests [default: the profile\'s `connect_timeout`, else 10s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -l timeout -d 'Timeout of a whole server request, retries and their waits included [default: the profile\'s `request_timeout`, else 30s]' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -l keychain-timeout -d 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)' -r
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -l color -d 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR' -r -f -a "auto\t'Colour and symbols when stderr is a terminal and NO_COLOR is not set'
always\t'Always, even into a file or pipe'
never\t'Never'"
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -l show-refresh-token -d 'Include the refresh token in `-o json` [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -s v -l verbose -d 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -s q -l quiet -d 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand version" -s V -l version -d 'Print version'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "login" -d 'Log in with a user name and password, an access key or service account, an external token, or SSO in a browser, and store the tokens'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "refresh" -d 'Renew the stored tokens now (Run:ai refresh token, GBDS TOKEN grant)'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "exchange-code" -d 'Exchange an authorization code from the identity provider for tokens'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "app-token" -d 'Log in as a service account or access key with a client id and secret (the 2.19 client\'s app_token method; see also `login --access-key`)'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "token" -d 'Print the access token, renewing it first when it is about to expire'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "kubectl-credential" -d 'kubectl exec-credential plugin: `token -o exec-credential`'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "kubeconfig" -d 'Print (or --write) a kubeconfig user that runs tokenctl as its credential plugin'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "runai-config" -d 'Print (or --write) the Run:ai CLI\'s and Python SDK\'s config directory (config.json, authentication.json)'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "logout" -d 'Delete stored tokens'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "status" -d 'Show profiles, their servers and token expiry (never a token)'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "exec" -d 'Run a command with a fresh token in its environment and in a file kept fresh while it runs'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "doctor" -d 'Check the config, the token store, the server, the clock and kubectl; one line each with a fix'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "generate" -d 'Write completion scripts or man pages (for packagers; the copies in the repository come from here)'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "version" -d 'Print the version, the commit, the target, the token stores compiled in and the build date (-o json for bug reports)'
complete -c tokenctl -n "__fish_tokenctl_using_subcommand help; and not __fish_seen_subcommand_from login refresh exchange-code app-token token kubectl-credential kubeconfig runai-config logout status exec doctor generate version help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
