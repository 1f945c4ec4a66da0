
use builtin;
use str;

set edit:completion:arg-completer[tokenctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tokenctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tokenctl'= {
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Log in with a user name and password (or an external token) and store the tokens'
            cand refresh 'Renew the stored tokens now (Run:ai refresh token, GBDS TOKEN grant)'
            cand exchange-code 'Exchange an authorization code from the identity provider for tokens'
            cand app-token 'Get an application token with a client id and secret'
            cand token 'Print the access token, renewing it first when it is about to expire'
            cand kubectl-credential 'kubectl exec-credential plugin: `token -o exec-credential`'
            cand kubeconfig 'Print (or --write) a kubeconfig user that runs tokenctl as its credential plugin'
            cand logout 'Delete stored tokens'
            cand status 'Show profiles, their servers and token expiry (never a token)'
            cand doctor 'Check the config, the token store, the server, the clock and kubectl; one line each with a fix'
            cand generate 'Write completion scripts or man pages (for packagers; the copies in the repository come from here)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tokenctl;login'= {
            cand --server 'Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile [default: the profile''s]'
            cand --api 'API the server speaks; saved in the profile [default: runai]'
            cand -u 'User name [default: the profile''s; prompted on a terminal]'
            cand --username 'User name [default: the profile''s; prompted on a terminal]'
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --allow-http 'Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile''s, else off]'
            cand --password-stdin 'Read the password from stdin [default: off: $TOKENCTL_PASSWORD, else a prompt]'
            cand --external-token-stdin 'Log in with a token from an external identity provider, read from stdin (Run:ai 2.23 `external_token_exchange`) [default: off: log in with a password]'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tokenctl;refresh'= {
            cand --lock-timeout 'How long to wait for another tokenctl that is renewing the same profile'
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --refresh-token-stdin 'Read the refresh token from stdin instead of the store [default: off: $TOKENCTL_REFRESH_TOKEN, else the stored one]'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tokenctl;exchange-code'= {
            cand --server 'Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile [default: the profile''s]'
            cand --api 'API the server speaks; saved in the profile [default: runai]'
            cand --code 'Authorization code from the identity provider''s redirect (single use) [default: none: required unless --code-stdin]'
            cand --redirect-uri 'The redirect URI the code was issued for [default: none: required]'
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --allow-http 'Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile''s, else off]'
            cand --code-stdin 'Read the authorization code from stdin [default: off]'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tokenctl;app-token'= {
            cand --server 'Server base URL, e.g. https://acme.run.ai or http://10.0.0.5:8085/gbds/v2; saved in the profile [default: the profile''s]'
            cand --api 'API the server speaks; saved in the profile [default: runai]'
            cand --client-id 'Application (client) id [default: the profile''s]; saved in the profile'
            cand --grant 'Grant to use [default: client_credentials; on runai-2.19 the 2.19 app token endpoint]'
            cand --app-name 'Application name, required by the Run:ai 2.19 app token endpoint; saved in the profile [default: the profile''s]'
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --allow-http 'Allow plain http:// to a non-loopback server (GBDS); saved in the profile [default: the profile''s, else off]'
            cand --client-secret-stdin 'Read the client secret from stdin [default: off: $TOKENCTL_CLIENT_SECRET, else a prompt]'
            cand --save-secret 'Keep the client secret in the OS keychain so `tokenctl token` can renew the app token [default: off]'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tokenctl;token'= {
            cand --min-valid 'Renew first when the token has less than this left [default: the profile''s `min_valid`, else 60s]'
            cand --api-version 'ExecCredential apiVersion when kubectl does not say it in $KUBERNETES_EXEC_INFO'
            cand --lock-timeout 'How long to wait for another tokenctl that is renewing the same profile'
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --interactive 'When renewal is impossible, prompt for the password on the terminal instead of failing [default: the profile''s `interactive`, else off]'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tokenctl;kubectl-credential'= {
            cand --min-valid 'Renew first when the token has less than this left [default: the profile''s `min_valid`, else 60s]'
            cand --api-version 'ExecCredential apiVersion when kubectl does not say it in $KUBERNETES_EXEC_INFO'
            cand --lock-timeout 'How long to wait for another tokenctl that is renewing the same profile'
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --interactive 'When renewal is impossible, prompt for the password on the terminal instead of failing [default: the profile''s `interactive`, else off]'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tokenctl;kubeconfig'= {
            cand --user 'kubeconfig user name [default: tokenctl-<profile>]'
            cand --cluster 'Also bind this cluster to the user in a context named <user>@<cluster> [default: none: no context]'
            cand --api-version 'ExecCredential apiVersion for the entry'
            cand --command 'The command kubectl runs [default: this tokenctl''s absolute path]'
            cand --kubectl 'The kubectl used by --write'
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --write 'Write the entry with `kubectl config` (honours $KUBECONFIG) instead of printing it [default: off]'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tokenctl;logout'= {
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --all 'Remove the stored tokens of every profile [default: off: only the selected profile]'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tokenctl;status'= {
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --all 'Show every profile, not only the selected one [default: off]'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tokenctl;doctor'= {
            cand --kubectl 'The kubectl to look for and ask about the kubeconfig'
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --all 'Check every profile, not only the selected one [default: off]'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tokenctl;generate'= {
            cand --dir 'Directory to write into (created if missing) [default: none: required]'
            cand -p 'Profile to use: a named server, API and identity from the config file'
            cand --profile 'Profile to use: a named server, API and identity from the config file'
            cand --config 'Config file [default: $XDG_CONFIG_HOME/tokenctl/config.toml]'
            cand --store 'Where tokens are kept [default: the profile''s `store`, else keychain]'
            cand -o 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --output 'What to print on stdout [default: token for `token`; nothing for the other commands]'
            cand --env-var 'Variable name for `-o env`'
            cand --color 'Colour and symbols on stderr: auto uses them only on a terminal and honours NO_COLOR'
            cand --show-refresh-token 'Include the refresh token in `-o json` [default: off]'
            cand -v 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand --verbose 'More detail on stderr: -v for requests, timings and decisions, -vv for more (secrets stay redacted) [default: progress and results only]'
            cand -q 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand --quiet 'Print nothing on stderr but errors; stdout still has what was asked for [default: off]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tokenctl;help'= {
            cand login 'Log in with a user name and password (or an external token) and store the tokens'
            cand refresh 'Renew the stored tokens now (Run:ai refresh token, GBDS TOKEN grant)'
            cand exchange-code 'Exchange an authorization code from the identity provider for tokens'
            cand app-token 'Get an application token with a client id and secret'
            cand token 'Print the access token, renewing it first when it is about to expire'
            cand kubectl-credential 'kubectl exec-credential plugin: `token -o exec-credential`'
            cand kubeconfig 'Print (or --write) a kubeconfig user that runs tokenctl as its credential plugin'
            cand logout 'Delete stored tokens'
            cand status 'Show profiles, their servers and token expiry (never a token)'
            cand doctor 'Check the config, the token store, the server, the clock and kubectl; one line each with a fix'
            cand generate 'Write completion scripts or man pages (for packagers; the copies in the repository come from here)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tokenctl;help;login'= {
        }
        &'tokenctl;help;refresh'= {
        }
        &'tokenctl;help;exchange-code'= {
        }
        &'tokenctl;help;app-token'= {
        }
        &'tokenctl;help;token'= {
        }
        &'tokenctl;help;kubectl-credential'= {
        }
        &'tokenctl;help;kubeconfig'= {
        }
        &'tokenctl;help;logout'= {
        }
        &'tokenctl;help;status'= {
        }
        &'tokenctl;help;doctor'= {
        }
        &'tokenctl;help;generate'= {
        }
        &'tokenctl;help;help'= {
        }
    ]
    $completions[$command]
}
