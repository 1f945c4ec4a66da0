//! The config parser: any text gives a config or an error, never a panic;
//! what parses survives a write and a re-read unchanged.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(config) = tokenctl::config::parse(text)
    {
        let again = toml::to_string_pretty(&config).expect("a parsed config serializes");
        assert_eq!(tokenctl::config::parse(&again).as_ref(), Ok(&config), "round trip");
    }
});
