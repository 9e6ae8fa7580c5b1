//! The masking entries of the function table ([`crate::functions`]), and the
//! meta function `version`. Argument names appear in error messages, so they
//! are exactly the documented ones.

use super::entries as e;
use crate::functions::{ArgKind, ArgSpec, FnSpec, ReturnKind};

const fn arg(name: &'static str, kind: ArgKind) -> ArgSpec {
    ArgSpec { name, kind }
}

const STR: ArgSpec = arg("str", ArgKind::Text);
const MASK_CHAR: ArgSpec = arg("mask_char", ArgKind::Text);
const MASKER_ARGS: &[ArgSpec] = &[STR, MASK_CHAR];

/// `name(str [, mask_char])`: the special-purpose maskers, all alike.
const fn masker(
    name: &'static str,
    summary: &'static str,
    entry: crate::functions::Entry,
) -> FnSpec {
    FnSpec {
        name,
        args: MASKER_ARGS,
        required: 1,
        deterministic: true,
        mysql_enterprise: true,
        returns: ReturnKind::Text,
        summary,
        entry,
    }
}

/// `name()`: the generators without arguments, all alike.
const fn generator(
    name: &'static str,
    summary: &'static str,
    entry: crate::functions::Entry,
) -> FnSpec {
    FnSpec {
        name,
        args: &[],
        required: 0,
        deterministic: false,
        mysql_enterprise: true,
        returns: ReturnKind::Text,
        summary,
        entry,
    }
}

/// Every masking function, plus `version`.
pub static FUNCTIONS: &[FnSpec] = &[
    // Meta.
    FnSpec {
        name: "version",
        args: &[],
        required: 0,
        deterministic: true,
        mysql_enterprise: false,
        returns: ReturnKind::Text,
        summary: "Returns the version of sqlxos.",
        entry: e::version,
    },
    // MySQL Enterprise Data Masking: general-purpose masking.
    FnSpec {
        name: "mask_inner",
        args: &[
            STR,
            arg("margin1", ArgKind::Int),
            arg("margin2", ArgKind::Int),
            MASK_CHAR,
        ],
        required: 3,
        deterministic: true,
        mysql_enterprise: true,
        returns: ReturnKind::Text,
        summary: "Masks the interior of a string, keeping margin1 characters on the left and margin2 on the right.",
        entry: e::mask_inner,
    },
    FnSpec {
        name: "mask_outer",
        args: &[
            STR,
            arg("margin1", ArgKind::Int),
            arg("margin2", ArgKind::Int),
            MASK_CHAR,
        ],
        required: 3,
        deterministic: true,
        mysql_enterprise: true,
        returns: ReturnKind::Text,
        summary: "Masks margin1 characters on the left and margin2 on the right of a string, keeping the interior.",
        entry: e::mask_outer,
    },
    // MySQL Enterprise Data Masking: special-purpose masking.
    masker(
        "mask_pan",
        "Masks a payment card number except its last four digits.",
        e::mask_pan,
    ),
    masker(
        "mask_pan_relaxed",
        "Masks a payment card number except its first six and last four digits.",
        e::mask_pan_relaxed,
    ),
    masker(
        "mask_ssn",
        "Masks a US Social Security Number except its last four digits.",
        e::mask_ssn,
    ),
    masker(
        "mask_iban",
        "Masks an IBAN except its two-letter country code.",
        e::mask_iban,
    ),
    masker(
        "mask_uk_nin",
        "Masks a UK National Insurance Number except its two-letter prefix.",
        e::mask_uk_nin,
    ),
    masker(
        "mask_canada_sin",
        "Masks every digit of a Canada Social Insurance Number.",
        e::mask_canada_sin,
    ),
    masker(
        "mask_uuid",
        "Masks every hexadecimal digit of a UUID.",
        e::mask_uuid,
    ),
    // MySQL Enterprise Data Masking: generators.
    FnSpec {
        name: "gen_range",
        args: &[arg("lower", ArgKind::Int), arg("upper", ArgKind::Int)],
        required: 2,
        deterministic: false,
        mysql_enterprise: true,
        returns: ReturnKind::Int,
        summary: "Returns a random integer from lower to upper inclusive, or NULL if upper < lower.",
        entry: e::gen_range,
    },
    FnSpec {
        name: "gen_rnd_email",
        args: &[
            arg("name_size", ArgKind::Int),
            arg("surname_size", ArgKind::Int),
            arg("domain", ArgKind::Text),
        ],
        required: 0,
        deterministic: false,
        mysql_enterprise: true,
        returns: ReturnKind::Text,
        summary: "Returns a random email address name.surname@domain (default domain example.com).",
        entry: e::gen_rnd_email,
    },
    FnSpec {
        name: "gen_rnd_pan",
        args: &[arg("size", ArgKind::Int)],
        required: 0,
        deterministic: false,
        mysql_enterprise: true,
        returns: ReturnKind::Text,
        summary: "Returns a random Luhn-valid payment card number with an issuer prefix no card network uses.",
        entry: e::gen_rnd_pan,
    },
    FnSpec {
        name: "gen_rnd_iban",
        args: &[arg("country", ArgKind::Text), arg("size", ArgKind::Int)],
        required: 0,
        deterministic: false,
        mysql_enterprise: true,
        returns: ReturnKind::Text,
        summary: "Returns a random IBAN with valid check digits (default country ZZ, which does not exist).",
        entry: e::gen_rnd_iban,
    },
    generator(
        "gen_rnd_ssn",
        "Returns a random US Social Security Number from a never-issued range (area 900-999).",
        e::gen_rnd_ssn,
    ),
    generator(
        "gen_rnd_us_phone",
        "Returns a random fictional US phone number, 1-555-555-01XX.",
        e::gen_rnd_us_phone,
    ),
    generator(
        "gen_rnd_uk_nin",
        "Returns a random UK National Insurance Number with the never-issued prefix QQ.",
        e::gen_rnd_uk_nin,
    ),
    generator(
        "gen_rnd_canada_sin",
        "Returns a random Luhn-valid Canada Social Insurance Number with the never-assigned first digit 8.",
        e::gen_rnd_canada_sin,
    ),
    generator(
        "gen_rnd_uuid",
        "Returns a random version 4 UUID.",
        e::gen_rnd_uuid,
    ),
    // sqlxos's own.
    FnSpec {
        name: "mask_email",
        args: &[arg("email", ArgKind::Text), MASK_CHAR],
        required: 1,
        deterministic: true,
        mysql_enterprise: false,
        returns: ReturnKind::Text,
        summary: "Masks the local part of an email address except its first character, keeping the domain.",
        entry: e::mask_email,
    },
    FnSpec {
        name: "mask_phone",
        args: &[
            arg("phone", ArgKind::Text),
            arg("keep_last", ArgKind::Int),
            MASK_CHAR,
        ],
        required: 1,
        deterministic: true,
        mysql_enterprise: false,
        returns: ReturnKind::Text,
        summary: "Masks every digit of a phone number except the last keep_last (default 4), keeping its formatting.",
        entry: e::mask_phone,
    },
    FnSpec {
        name: "pseudonymize",
        args: &[arg("value", ArgKind::Text), arg("salt", ArgKind::Text)],
        required: 2,
        deterministic: true,
        mysql_enterprise: false,
        returns: ReturnKind::Text,
        summary: "Replaces a value with a keyed pseudonym: HMAC-SHA256 with the salt, 32 hex characters.",
        entry: e::pseudonymize,
    },
    FnSpec {
        name: "pseudonymize_email",
        args: &[arg("email", ArgKind::Text), arg("salt", ArgKind::Text)],
        required: 2,
        deterministic: true,
        mysql_enterprise: false,
        returns: ReturnKind::Text,
        summary: "Replaces the local part of an email address with a keyed pseudonym, keeping the domain.",
        entry: e::pseudonymize_email,
    },
    FnSpec {
        name: "noise",
        args: &[arg("number", ArgKind::Number), arg("ratio", ArgKind::Float)],
        required: 2,
        deterministic: false,
        mysql_enterprise: false,
        returns: ReturnKind::LikeFirstArg,
        summary: "Multiplies a number by a random factor between 1 - ratio and 1 + ratio.",
        entry: e::noise,
    },
    FnSpec {
        name: "generalize",
        args: &[arg("value", ArgKind::Any), arg("granularity", ArgKind::Any)],
        required: 2,
        deterministic: true,
        mysql_enterprise: false,
        returns: ReturnKind::LikeFirstArg,
        summary: "Rounds a number down to a multiple of a step, or a date or timestamp down to a year, quarter, month, week, day, hour or minute.",
        entry: e::generalize,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::{call, find};
    use crate::{Error, Value};
    use std::collections::HashSet;

    fn t(s: &str) -> Value<'static> {
        Value::from(s.to_owned())
    }

    fn run(name: &str, args: &[Value<'_>]) -> crate::Result<Value<'static>> {
        call(
            find(name).unwrap_or_else(|| panic!("{name} registered")),
            args,
        )
    }

    #[test]
    fn every_documented_function_is_registered() {
        let names: HashSet<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        for name in [
            "version",
            "mask_inner",
            "mask_outer",
            "mask_pan",
            "mask_pan_relaxed",
            "mask_ssn",
            "mask_iban",
            "mask_uk_nin",
            "mask_canada_sin",
            "mask_uuid",
            "gen_range",
            "gen_rnd_email",
            "gen_rnd_pan",
            "gen_rnd_iban",
            "gen_rnd_ssn",
            "gen_rnd_us_phone",
            "gen_rnd_uk_nin",
            "gen_rnd_canada_sin",
            "gen_rnd_uuid",
            "mask_email",
            "mask_phone",
            "pseudonymize",
            "pseudonymize_email",
            "noise",
            "generalize",
        ] {
            assert!(names.contains(name), "{name} missing");
        }
        assert_eq!(names.len(), 25);
    }

    #[test]
    fn table_is_well_formed() {
        let mut seen = HashSet::new();
        for f in FUNCTIONS {
            assert!(seen.insert(f.name), "duplicate {}", f.name);
            assert!(f.required <= f.args.len(), "{}", f.name);
            assert!(
                !f.summary.is_empty() && f.summary.ends_with('.'),
                "{}",
                f.name
            );
            let mut arg_names = HashSet::new();
            for a in f.args {
                assert!(
                    arg_names.insert(a.name),
                    "{}: duplicate arg {}",
                    f.name,
                    a.name
                );
            }
            if f.name.starts_with("gen_") || f.name == "noise" {
                assert!(!f.deterministic, "{} is random", f.name);
            } else {
                assert!(f.deterministic, "{} is deterministic", f.name);
            }
            assert_eq!(
                f.mysql_enterprise,
                f.name.starts_with("gen_")
                    || (f.name.starts_with("mask_")
                        && !matches!(f.name, "mask_email" | "mask_phone")),
                "{}",
                f.name
            );
            assert!(std::ptr::eq(
                find(&format!("sqlxos_{}", f.name)).unwrap(),
                f
            ));
        }
    }

    #[test]
    fn null_in_null_out_and_arity() {
        for f in FUNCTIONS {
            for n in f.required.max(1)..=f.args.len() {
                let args = vec![Value::Null; n];
                assert_eq!(
                    call(f, &args).unwrap(),
                    Value::Null,
                    "{}({n} NULLs)",
                    f.name
                );
            }
            let too_many = vec![Value::Null; f.args.len() + 1];
            assert!(
                matches!(call(f, &too_many), Err(Error::WrongArgCount { .. })),
                "{}",
                f.name
            );
            if f.required > 0 {
                let too_few = vec![Value::Null; f.required - 1];
                assert!(
                    matches!(call(f, &too_few), Err(Error::WrongArgCount { .. })),
                    "{}",
                    f.name
                );
            }
        }
        assert_eq!(
            run("mask_inner", &[t("x")]).unwrap_err().to_string(),
            "mask_inner(): expected 3 to 4 arguments, got 1"
        );
        assert_eq!(
            run("pseudonymize", &[t("x")]).unwrap_err().to_string(),
            "pseudonymize(): expected 2 arguments, got 1"
        );
    }

    #[test]
    fn deterministic_functions_through_the_table() {
        let cases: Vec<(&str, Vec<Value<'static>>, Value<'static>)> = vec![
            ("version", vec![], t(crate::VERSION)),
            (
                "mask_inner",
                vec![t("This is a string"), Value::Int(5), Value::Int(1)],
                t("This XXXXXXXXXXg"),
            ),
            (
                "mask_outer",
                vec![t("abcdef"), t("0"), Value::Float(5.0), t("#")],
                t("a#####"),
            ),
            (
                "mask_pan",
                vec![t("4111111111111111")],
                t("XXXXXXXXXXXX1111"),
            ),
            ("mask_pan", vec![t("4111 1111 1111 111é")], Value::Null),
            (
                "mask_pan_relaxed",
                vec![t("4111111111111111"), t("*")],
                t("411111******1111"),
            ),
            ("mask_ssn", vec![t("909-63-6922")], t("***-**-6922")),
            ("mask_ssn", vec![Value::Int(909_636_922)], t("*****6922")),
            (
                "mask_iban",
                vec![t("IE12 BOFI 9000 0112 3456 78")],
                t("IE** **** **** **** **** **"),
            ),
            ("mask_uk_nin", vec![t("QQ 12 34 56 C")], t("QQ ** ** ** *")),
            ("mask_canada_sin", vec![t("046-454-286")], t("XXX-XXX-XXX")),
            (
                "mask_uuid",
                vec![t("123e4567-e89b-12d3-a456-426614174000")],
                t("********-****-****-****-************"),
            ),
            (
                "mask_email",
                vec![t("john.doe@example.com")],
                t("jXXXXXXX@example.com"),
            ),
            (
                "mask_phone",
                vec![t("+1 (555) 123-4567")],
                t("+X (XXX) XXX-4567"),
            ),
            (
                "mask_phone",
                vec![t("+1 (555) 123-4567"), Value::Int(2), t("#")],
                t("+# (###) ###-##67"),
            ),
            (
                "pseudonymize",
                vec![t("value"), t("salt")],
                t("aaf15d64f29e7a06f6a3e5581fa216df"),
            ),
            (
                "pseudonymize_email",
                vec![t("john.doe@example.com"), t("salt")],
                t("df24d85fb2657740@example.com"),
            ),
            (
                "generalize",
                vec![Value::Int(42), Value::Int(10)],
                Value::Int(40),
            ),
            (
                "generalize",
                vec![Value::Float(3.7), t("0.5")],
                Value::Float(3.5),
            ),
            (
                "generalize",
                vec![t("2024-05-17"), t("Month")],
                t("2024-05-01"),
            ),
            ("gen_range", vec![Value::Int(1), Value::Int(0)], Value::Null),
            ("gen_range", vec![Value::Int(5), t("5")], Value::Int(5)),
        ];
        for (name, args, want) in cases {
            assert_eq!(run(name, &args).unwrap(), want, "{name}({args:?})");
        }
    }

    #[test]
    fn errors_through_the_table() {
        let err = |name: &str, args: &[Value<'_>]| run(name, args).unwrap_err().to_string();
        assert_eq!(
            err("mask_inner", &[t("abc"), Value::Int(-1), Value::Int(0)]),
            "mask_inner(): argument \"margin1\" must be >= 0, got '-1'"
        );
        assert_eq!(
            err("mask_inner", &[t("abc"), t("one"), Value::Int(0)]),
            "mask_inner(): argument \"margin1\" must be an integer, got 'one'"
        );
        assert_eq!(
            err("mask_ssn", &[t("909"), t("**")]),
            "mask_ssn(): argument \"str\" must contain exactly 9 digits or letters, not \
             counting separators, got '909'"
        );
        assert_eq!(
            err("gen_rnd_pan", &[Value::Int(20)]),
            "gen_rnd_pan(): argument \"size\" must be between 12 and 19, got '20'"
        );
        assert_eq!(
            err("gen_rnd_iban", &[t("Z9")]),
            "gen_rnd_iban(): argument \"country\" must be a two-letter country code, got 'Z9'"
        );
        assert_eq!(
            err("noise", &[Value::Int(5), Value::Float(2.0)]),
            "noise(): argument \"ratio\" must be a number between 0 and 1, got '2'"
        );
        assert_eq!(
            err("noise", &[t("five"), Value::Float(0.5)]),
            "noise(): argument \"number\" must be a number, got 'five'"
        );
        assert_eq!(
            err("pseudonymize", &[t("x"), t("")]),
            "pseudonymize(): argument \"salt\" must not be empty, got ''"
        );
        assert_eq!(
            err("generalize", &[t("2024-05-17"), t("decade")]),
            "generalize(): argument \"granularity\" must be one of year, quarter, month, \
             week, day, hour, minute, got 'decade'"
        );
    }

    #[test]
    fn generators_through_the_table() {
        let text = |v: Value<'static>| match v {
            Value::Text(s) => s.into_owned(),
            other => panic!("text expected, got {other:?}"),
        };
        let pan = text(run("gen_rnd_pan", &[]).unwrap());
        assert!(pan.len() == 16 && pan.starts_with("00"));
        assert_eq!(
            text(run("gen_rnd_pan", &[Value::Int(19)]).unwrap()).len(),
            19
        );
        let iban = text(run("gen_rnd_iban", &[]).unwrap());
        assert!(iban.starts_with("ZZ") && crate::mask::checksum::iban_is_valid(&iban));
        let iban = text(run("gen_rnd_iban", &[t("DE"), Value::Int(22)]).unwrap());
        assert!(iban.starts_with("DE") && crate::mask::checksum::iban_is_valid(&iban));
        let mail = text(run("gen_rnd_email", &[]).unwrap());
        assert!(mail.ends_with("@example.com") && mail.len() == 5 + 1 + 7 + 12);
        let mail = text(run("gen_rnd_email", &[Value::Int(2), Value::Int(3), t("x.org")]).unwrap());
        assert_eq!(mail.len(), 2 + 1 + 3 + 6);
        assert!(text(run("gen_rnd_ssn", &[]).unwrap()).starts_with('9'));
        assert!(text(run("gen_rnd_us_phone", &[]).unwrap()).starts_with("1-555-555-01"));
        assert!(text(run("gen_rnd_uk_nin", &[]).unwrap()).starts_with("QQ"));
        assert!(crate::mask::checksum::luhn_is_valid(&text(
            run("gen_rnd_canada_sin", &[]).unwrap()
        )));
        assert_eq!(text(run("gen_rnd_uuid", &[]).unwrap()).len(), 36);
        match run("gen_range", &[Value::Int(-3), Value::Int(3)]).unwrap() {
            Value::Int(n) => assert!((-3..=3).contains(&n)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn noise_keeps_the_kind_of_its_argument() {
        match run("noise", &[Value::Int(1000), Value::Float(0.1)]).unwrap() {
            Value::Int(n) => assert!((900..=1100).contains(&n)),
            other => panic!("{other:?}"),
        }
        match run("noise", &[Value::Float(1000.0), Value::Int(0)]).unwrap() {
            Value::Float(f) => assert_eq!(f, 1000.0),
            other => panic!("{other:?}"),
        }
        // Numeric text becomes the number it spells.
        assert!(matches!(
            run("noise", &[t("42"), t("0.5")]).unwrap(),
            Value::Int(_)
        ));
    }
}
