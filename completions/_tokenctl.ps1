
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tokenctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tokenctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tokenctl' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in with a user name and password, an access key or service account, an external token, or SSO in a browser, and store the tokens')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Renew the stored tokens now (Run:ai refresh token, GBDS TOKEN grant)')
            [CompletionResult]::new('exchange-code', 'exchange-code', [CompletionResultType]::ParameterValue, 'Exchange an authorization code from the identity provider for tokens')
            [CompletionResult]::new('app-token', 'app-token', [CompletionResultType]::ParameterValue, 'Log in as a service account or access key with a client id and secret (the 2.19 client''s app_token method; see also `login --access-key`)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the access token, renewing it first when it is about to expire')
            [CompletionResult]::new('kubectl-credential', 'kubectl-credential', [CompletionResultType]::ParameterValue, 'kubectl exec-credential plugin: `token -o exec-credential`')
            [CompletionResult]::new('kubeconfig', 'kubeconfig', [CompletionResultType]::ParameterValue, 'Print (or --write) a kubeconfig user that runs tokenctl as its credential plugin')
            [CompletionResult]::new('runai-config', 'runai-config', [CompletionResultType]::ParameterValue, 'Print (or --write) the Run:ai CLI''s and Python SDK''s config directory (config.json, authentication.json)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Delete stored tokens')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show profiles, their servers and token expiry (never a token)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a fresh token in its environment and in a file kept fresh while it runs')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the config, the token store, the server, the clock and kubectl; one line each with a fix')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write completion scripts or man pages (for packagers; the copies in the repository come from here)')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version, the commit, the target, the token stores compiled in and the build date (-o json for bug reports)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tokenctl;login' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile [default: the profile''s]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'API the server speaks; saved in the profile. `runai` finds the newest Run:ai token endpoint at each login (/api/v2/token, else /api/v1/token on servers before 2.24) and remembers it [default: runai]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file (a corporate CA); saved in the profile [default: the profile''s `ca_file`, else only the platform''s trust store]')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User name [default: the profile''s; prompted on a terminal]; with --browser, a hint for the login page')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'User name [default: the profile''s; prompted on a terminal]; with --browser, a hint for the login page')
            [CompletionResult]::new('--access-key', '--access-key', [CompletionResultType]::ParameterName, 'Log in as a service account or with a user access key: its client ID (Run:ai `client_credentials`). The secret is kept in the keychain, so tokenctl renews by itself [default: off: log in with a password]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Log in as a service account or with a user access key: its client ID (Run:ai `client_credentials`). The secret is kept in the keychain, so tokenctl renews by itself [default: off: log in with a password]')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'With --access-key: read the secret from this file (its first line) [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]')
            [CompletionResult]::new('--external-token-from', '--external-token-from', [CompletionResultType]::ParameterName, 'CI: exchange the job''s identity token from SOURCE (github-actions, env:NAME, file:PATH); saved in the profile, and read again at each renewal, so no secret is stored [default: off]')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'With --external-token-from github-actions: the audience (`aud`) to ask for; saved in the profile [default: the profile''s, else GitHub''s default]')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Authorization endpoint; saved in the profile [default: <server>/auth/realms/runai/protocol/openid-connect/auth]')
            [CompletionResult]::new('--oidc-client-id', '--oidc-client-id', [CompletionResultType]::ParameterName, 'OIDC client of the login page; saved in the profile [default: runai-cli]')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scopes to ask for; saved in the profile [default: "openid offline_access"]')
            [CompletionResult]::new('--callback-port', '--callback-port', [CompletionResultType]::ParameterName, 'Loopback port for the callback, 0 for any free port; saved in the profile [default: 43121]')
            [CompletionResult]::new('--browser-timeout', '--browser-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the browser [default: the profile''s `browser_timeout`, else 180s]')
            [CompletionResult]::new('--remote-redirect-uri', '--remote-redirect-uri', [CompletionResultType]::ParameterName, 'Where the provider shows the code to copy; saved in the profile [default: <server>/oauth-code]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile''s, else off]')
            [CompletionResult]::new('--legacy-endpoints', '--legacy-endpoints', [CompletionResultType]::ParameterName, 'Run:ai 2.19: use the deprecated refresh, code-exchange and app-token endpoints (the refresh token and code travel in URLs there); saved in the profile [default: the profile''s `legacy_endpoints`, else off: `/api/v1/token`, falling back after a 404/405]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin [default: off: $TOKENCTL_PASSWORD, else a prompt]')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'With --access-key: read the secret from stdin [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'With --access-key: read the secret from stdin [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]')
            [CompletionResult]::new('--no-save-secret', '--no-save-secret', [CompletionResultType]::ParameterName, 'With --access-key: do not keep the secret; renewal then reads $TOKENCTL_CLIENT_SECRET [default: off: the keychain or kernel keyring keeps it; the file store never does]')
            [CompletionResult]::new('--external-token-stdin', '--external-token-stdin', [CompletionResultType]::ParameterName, 'Log in with a token from an external identity provider, read from stdin (Run:ai `external_token_exchange`) [default: off: log in with a password]')
            [CompletionResult]::new('--browser', '--browser', [CompletionResultType]::ParameterName, 'SSO: log in on the identity provider''s page in a browser; the code comes back to a loopback listener [default: off]')
            [CompletionResult]::new('--remote-browser', '--remote-browser', [CompletionResultType]::ParameterName, 'SSO without a local browser (SSH): print the login URL, then paste the code the page shows [default: off]')
            [CompletionResult]::new('--no-open', '--no-open', [CompletionResultType]::ParameterName, 'Do not start a browser; only print the URL to open [default: off]')
            [CompletionResult]::new('--code-stdin', '--code-stdin', [CompletionResultType]::ParameterName, 'Read the code (or the whole redirect URL) from stdin instead of the terminal [default: off]')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;refresh' {
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another tokenctl that is renewing the same profile')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--refresh-token-stdin', '--refresh-token-stdin', [CompletionResultType]::ParameterName, 'Read the refresh token from stdin instead of the store [default: off: $TOKENCTL_REFRESH_TOKEN, else the stored one]')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;exchange-code' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile [default: the profile''s]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'API the server speaks; saved in the profile. `runai` finds the newest Run:ai token endpoint at each login (/api/v2/token, else /api/v1/token on servers before 2.24) and remembers it [default: runai]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file (a corporate CA); saved in the profile [default: the profile''s `ca_file`, else only the platform''s trust store]')
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'Authorization code from the identity provider''s redirect (single use) [default: none: required unless --code-stdin]')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'The redirect URI the code was issued for [default: none: required]')
            [CompletionResult]::new('--oidc-client-id', '--oidc-client-id', [CompletionResultType]::ParameterName, 'OIDC client the code was issued to (`client_id` of the login page''s URL); saved in the profile [default: the profile''s `oidc_client_id`, else runai-cli]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile''s, else off]')
            [CompletionResult]::new('--legacy-endpoints', '--legacy-endpoints', [CompletionResultType]::ParameterName, 'Run:ai 2.19: use the deprecated refresh, code-exchange and app-token endpoints (the refresh token and code travel in URLs there); saved in the profile [default: the profile''s `legacy_endpoints`, else off: `/api/v1/token`, falling back after a 404/405]')
            [CompletionResult]::new('--code-stdin', '--code-stdin', [CompletionResultType]::ParameterName, 'Read the authorization code from stdin [default: off]')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;app-token' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile [default: the profile''s]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'API the server speaks; saved in the profile. `runai` finds the newest Run:ai token endpoint at each login (/api/v2/token, else /api/v1/token on servers before 2.24) and remembers it [default: runai]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Also trust the CA certificates in this PEM file (a corporate CA); saved in the profile [default: the profile''s `ca_file`, else only the platform''s trust store]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'The service account''s or access key''s client ID (an "application" before 3.0) [default: the profile''s]; saved in the profile')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the client secret from this file (its first line) [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]')
            [CompletionResult]::new('--grant', '--grant', [CompletionResultType]::ParameterName, 'Grant to use [default: client_credentials; on runai-2.19 its app_token grant (the deprecated endpoint with --legacy-endpoints)]')
            [CompletionResult]::new('--app-name', '--app-name', [CompletionResultType]::ParameterName, 'Application name, required by the Run:ai 2.19 app token endpoint; saved in the profile [default: the profile''s]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile''s, else off]')
            [CompletionResult]::new('--legacy-endpoints', '--legacy-endpoints', [CompletionResultType]::ParameterName, 'Run:ai 2.19: use the deprecated refresh, code-exchange and app-token endpoints (the refresh token and code travel in URLs there); saved in the profile [default: the profile''s `legacy_endpoints`, else off: `/api/v1/token`, falling back after a 404/405]')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read the client secret from stdin [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, 'Read the client secret from stdin [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]')
            [CompletionResult]::new('--save-secret', '--save-secret', [CompletionResultType]::ParameterName, 'Keep the client secret in the OS keychain so `tokenctl token` can renew the token (`login --access-key` always does) [default: off]')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;token' {
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'Renew first when the token has less than this left [default: the profile''s `min_valid`, else 60s]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'ExecCredential apiVersion when kubectl does not say it in $KUBERNETES_EXEC_INFO')
            [CompletionResult]::new('--kube-token', '--kube-token', [CompletionResultType]::ParameterName, 'Token kubectl gets with -o exec-credential: `access`, or `id` for clusters whose API server validates id tokens [default: the profile''s `kube_token`, else access]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another tokenctl that is renewing the same profile')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'When renewal is impossible and a person is at the terminal, log in again the way the profile was created (password prompt, browser login, external token source) instead of failing [default: the profile''s `interactive`, else off]')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;kubectl-credential' {
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'Renew first when the token has less than this left [default: the profile''s `min_valid`, else 60s]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'ExecCredential apiVersion when kubectl does not say it in $KUBERNETES_EXEC_INFO')
            [CompletionResult]::new('--kube-token', '--kube-token', [CompletionResultType]::ParameterName, 'Token kubectl gets with -o exec-credential: `access`, or `id` for clusters whose API server validates id tokens [default: the profile''s `kube_token`, else access]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another tokenctl that is renewing the same profile')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'When renewal is impossible and a person is at the terminal, log in again the way the profile was created (password prompt, browser login, external token source) instead of failing [default: the profile''s `interactive`, else off]')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;kubeconfig' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'kubeconfig user name [default: tokenctl-<profile>]')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Also bind this cluster to the user in a context named <user>@<cluster> [default: none: no context]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'ExecCredential apiVersion for the entry')
            [CompletionResult]::new('--kube-token', '--kube-token', [CompletionResultType]::ParameterName, 'Token the entry gives kubectl: `id` adds `--kube-token id` to its exec args [default: the profile''s `kube_token`, else access]')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'The command kubectl runs [default: this tokenctl''s absolute path]')
            [CompletionResult]::new('--kubectl', '--kubectl', [CompletionResultType]::ParameterName, 'The kubectl used by --write')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Write the entry with `kubectl config` (honours $KUBECONFIG) instead of printing it [default: off]')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;runai-config' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The directory the Run:ai CLI and runapy read [default: $RUNAI_CLI_CONFIG_PATH, else ~/.runai]')
            [CompletionResult]::new('--cluster-uuid', '--cluster-uuid', [CompletionResultType]::ParameterName, 'The cluster config.json names [default: the one it names for this server, else the only cluster the server lists]')
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'Renew first when the token has less than this left [default: the profile''s `min_valid`, else 60s]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another tokenctl that is renewing the same profile')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Write authentication.json and config.json (0600, atomically) instead of printing config.json [default: off]')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;logout' {
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another tokenctl that is renewing the same profile')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Remove the stored tokens of every profile [default: off: only the selected profile]')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;status' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Show every profile, not only the selected one [default: off]')
            [CompletionResult]::new('--claims', '--claims', [CompletionResultType]::ParameterName, 'Also show what the stored access and id tokens say: issuer, subject, audience, expiry, user, email, groups and roles (decoded, not verified; never the token) [default: off]')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;exec' {
            [CompletionResult]::new('--min-valid', '--min-valid', [CompletionResultType]::ParameterName, 'Renew the token (and rewrite the file) when it has less than this left [default: the profile''s `min_valid`, else 60s]')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another tokenctl that is renewing the same profile')
            [CompletionResult]::new('--runai-config', '--runai-config', [CompletionResultType]::ParameterName, 'Also write the Run:ai CLI''s and runapy''s config directory there (as `runai-config --write --dir DIR`), its token rewritten at each renewal; the command gets $RUNAI_CLI_CONFIG_PATH=DIR [default: off]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;doctor' {
            [CompletionResult]::new('--kubectl', '--kubectl', [CompletionResultType]::ParameterName, 'The kubectl to look for and ask about the kubeconfig')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Check every profile, not only the selected one [default: off]')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;generate' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory to write into (created if missing) [default: none: required]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;version' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use: a named server, API and identity from the config file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where tokens are kept [default: the profile''s `store`, else auto: the keychain when it answers, else on Linux the kernel keyring]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'What to print on stdout [default: token for `token`; nothing for the other commands]. From the environment it applies to `token` only, and as `json` to `status` and `doctor`')
            [CompletionResult]::new('--env-var', '--env-var', [CompletionResultType]::ParameterName, 'Variable name for `-o env`, and the variable `exec` gives the command the token in')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connect timeout for server requests [default: the profile''s `connect_timeout`, else 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Timeout of a whole server request, retries and their waits included [default: the profile''s `request_timeout`, else 30s]')
            [CompletionResult]::new('--keychain-timeout', '--keychain-timeout', [CompletionResultType]::ParameterName, 'Longest wait for one keychain call (a locked keychain waiting for an unlock prompt fails with exit 5 after this)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR')
            [CompletionResult]::new('--show-refresh-token', '--show-refresh-token', [CompletionResultType]::ParameterName, 'Include the refresh token in `-o json` [default: off]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tokenctl;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in with a user name and password, an access key or service account, an external token, or SSO in a browser, and store the tokens')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Renew the stored tokens now (Run:ai refresh token, GBDS TOKEN grant)')
            [CompletionResult]::new('exchange-code', 'exchange-code', [CompletionResultType]::ParameterValue, 'Exchange an authorization code from the identity provider for tokens')
            [CompletionResult]::new('app-token', 'app-token', [CompletionResultType]::ParameterValue, 'Log in as a service account or access key with a client id and secret (the 2.19 client''s app_token method; see also `login --access-key`)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the access token, renewing it first when it is about to expire')
            [CompletionResult]::new('kubectl-credential', 'kubectl-credential', [CompletionResultType]::ParameterValue, 'kubectl exec-credential plugin: `token -o exec-credential`')
            [CompletionResult]::new('kubeconfig', 'kubeconfig', [CompletionResultType]::ParameterValue, 'Print (or --write) a kubeconfig user that runs tokenctl as its credential plugin')
            [CompletionResult]::new('runai-config', 'runai-config', [CompletionResultType]::ParameterValue, 'Print (or --write) the Run:ai CLI''s and Python SDK''s config directory (config.json, authentication.json)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Delete stored tokens')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show profiles, their servers and token expiry (never a token)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a fresh token in its environment and in a file kept fresh while it runs')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the config, the token store, the server, the clock and kubectl; one line each with a fix')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write completion scripts or man pages (for packagers; the copies in the repository come from here)')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version, the commit, the target, the token stores compiled in and the build date (-o json for bug reports)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tokenctl;help;login' {
            break
        }
        'tokenctl;help;refresh' {
            break
        }
        'tokenctl;help;exchange-code' {
            break
        }
        'tokenctl;help;app-token' {
            break
        }
        'tokenctl;help;token' {
            break
        }
        'tokenctl;help;kubectl-credential' {
            break
        }
        'tokenctl;help;kubeconfig' {
            break
        }
        'tokenctl;help;runai-config' {
            break
        }
        'tokenctl;help;logout' {
            break
        }
        'tokenctl;help;status' {
            break
        }
        'tokenctl;help;exec' {
            break
        }
        'tokenctl;help;doctor' {
            break
        }
        'tokenctl;help;generate' {
            break
        }
        'tokenctl;help;version' {
            break
        }
        'tokenctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
