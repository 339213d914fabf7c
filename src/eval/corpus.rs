//! A synthetic press archive for benchmarks: memories of any size in four languages, built from
//! the shared corpora's real sentences with the edits that make a real archive full of
//! near-duplicates — numbers and dates change, a place changes, a closing clause is dropped.
//!
//! Bases are the four-way parallel sentences of FLORES-200 dev (997), NTREX-128 (1,997) and
//! TICO-19 (joined on `tuid` across en–ar, en–ckb, en–ku: 3,071). Each generated unit is one
//! base with a deterministic choice of edits, so every run builds the same memory.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use super::{for_each_tmx_unit, Rng};
use crate::core::lang::Lang;
use crate::core::tmx::TmxWriter;
use crate::core::unit::{Unit, Variant};
use crate::service::ServiceError;

/// One sentence in the four languages, in [`Lang::ALL`] order.
pub type Base = [String; 4];

fn fail(path: &Path, e: impl std::fmt::Display) -> ServiceError {
    ServiceError::InvalidParameter {
        name: "DATA".into(),
        detail: format!("{}: {e}", path.display()),
    }
}

fn lines(path: &Path) -> Result<Vec<String>, ServiceError> {
    let file = File::open(path).map_err(|e| fail(path, e))?;
    BufReader::new(file)
        .lines()
        .collect::<Result<_, _>>()
        .map_err(|e| fail(path, e))
}

/// Four files with one sentence per line, the same line in each being a translation.
fn parallel(files: [&Path; 4]) -> Result<Vec<Base>, ServiceError> {
    let columns: Vec<Vec<String>> = files.iter().map(|f| lines(f)).collect::<Result<_, _>>()?;
    let n = columns.iter().map(Vec::len).min().unwrap_or(0);
    Ok((0..n)
        .map(|i| std::array::from_fn(|l| columns[l][i].trim().to_string()))
        .filter(|b: &Base| b.iter().all(|s| !s.is_empty()))
        .collect())
}

/// All four-way bases found under the shared data folder.
pub fn load_bases(data: &Path) -> Result<Vec<Base>, ServiceError> {
    let mut bases = Vec::new();
    let flores = data.join("flores200/dev");
    bases.extend(parallel([
        &flores.join("eng_Latn.dev"),
        &flores.join("arb_Arab.dev"),
        &flores.join("ckb_Arab.dev"),
        &flores.join("kmr_Latn.dev"),
    ])?);
    let ntrex = data.join("ntrex128");
    bases.extend(parallel([
        &ntrex.join("newstest2019-src.eng.txt"),
        &ntrex.join("newstest2019-ref.arb.txt"),
        &ntrex.join("newstest2019-ref.ckb-Arab.txt"),
        &ntrex.join("newstest2019-ref.kmr.txt"),
    ])?);
    // TICO-19: join the three English-centred memories on tuid.
    let tm = data.join("tico19/tm");
    let mut by_id: HashMap<String, [Option<String>; 4]> = HashMap::new();
    let mut order = Vec::new();
    for file in ["all.en-ar.tmx", "all.en-ckb.tmx", "all.en-ku.tmx"] {
        for_each_tmx_unit(&tm.join(file), |_, unit| {
            let Some(id) = unit.external_id.clone() else {
                return;
            };
            let entry = by_id.entry(id.clone()).or_insert_with(|| {
                order.push(id);
                Default::default()
            });
            for v in &unit.variants {
                entry[v.lang.index()].get_or_insert_with(|| v.text.clone());
            }
        })?;
    }
    for id in order {
        if let Some(parts) = by_id.remove(&id) {
            if parts.iter().all(Option::is_some) {
                bases.push(parts.map(Option::unwrap_or_default));
            }
        }
    }
    Ok(bases)
}

/// Month names per language (en, ar, ckb, kmr), for the date phrases of press releases.
const MONTHS: [[&str; 4]; 12] = [
    ["January", "كانون الثاني", "کانوونی دووەم", "Çileyê"],
    ["February", "شباط", "شوبات", "Sibatê"],
    ["March", "آذار", "ئازار", "Adarê"],
    ["April", "نيسان", "نیسان", "Nîsanê"],
    ["May", "أيار", "ئایار", "Gulanê"],
    ["June", "حزيران", "حوزەیران", "Hezîranê"],
    ["July", "تموز", "تەممووز", "Tîrmehê"],
    ["August", "آب", "ئاب", "Tebaxê"],
    ["September", "أيلول", "ئەیلوول", "Îlonê"],
    ["October", "تشرين الأول", "تشرینی یەکەم", "Cotmehê"],
    ["November", "تشرين الثاني", "تشرینی دووەم", "Mijdarê"],
    ["December", "كانون الأول", "کانوونی یەکەم", "Berfanbarê"],
];

/// Places named in the office's releases (en, ar, ckb, kmr).
const PLACES: [[&str; 4]; 8] = [
    ["Erbil", "أربيل", "هەولێر", "Hewlêrê"],
    ["Baghdad", "بغداد", "بەغدا", "Bexdayê"],
    ["Mosul", "الموصل", "موسڵ", "Mûsilê"],
    ["Kirkuk", "كركوك", "کەرکووک", "Kerkûkê"],
    ["Sulaymaniyah", "السليمانية", "سلێمانی", "Silêmaniyê"],
    ["Duhok", "دهوك", "دهۆک", "Duhokê"],
    ["Anbar", "الأنبار", "ئەنبار", "Enbarê"],
    ["Raqqa", "الرقة", "ڕەققە", "Reqayê"],
];

/// A date-and-place opening in each language: "In Erbil on 4 May," …
fn opening(day: usize, month: usize, place: usize) -> [String; 4] {
    let m = MONTHS[month];
    let p = PLACES[place];
    [
        format!("In {} on {day} {},", p[0], m[0]),
        format!("في {} بتاريخ {day} {}،", p[1], m[1]),
        format!("لە {} لە {day}ی {}،", p[2], m[2]),
        format!("Li {} di {day}ê {} de,", p[3], m[3]),
    ]
}

/// Replace every run of ASCII or Arabic-Indic digits by `number`, in the digits it was
/// written with.
fn renumber(text: &str, number: u64) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        let arabic = ('\u{0660}'..='\u{0669}').contains(&c);
        let persian = ('\u{06F0}'..='\u{06F9}').contains(&c);
        if c.is_ascii_digit() || arabic || persian {
            if !in_run {
                let base = if arabic {
                    0x0660
                } else if persian {
                    0x06F0
                } else {
                    '0' as u32
                };
                out.extend(
                    number
                        .to_string()
                        .chars()
                        .map(|d| char::from_u32(base + d.to_digit(10).unwrap_or(0)).unwrap_or(d)),
                );
                in_run = true;
            }
        } else {
            in_run = false;
            out.push(c);
        }
    }
    out
}

/// Drop what follows the last comma (`,` or `،`), keeping the final punctuation; `None` if
/// that would leave less than half.
fn drop_last_clause(text: &str) -> Option<String> {
    let cut = text.rfind([',', '،'])?;
    if cut < text.len() / 2 {
        return None;
    }
    let end = text.trim_end();
    let last = end.chars().last().filter(|c| ".!?؟".contains(*c));
    let mut out = text[..cut].to_string();
    if let Some(p) = last {
        out.push(p);
    }
    Some(out)
}

/// The `i`-th unit of the archive (deterministic in `i`).
pub fn generate(bases: &[Base], i: u64) -> [String; 4] {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1));
    let base = &bases[(i as usize) % bases.len()];
    let round = i / bases.len() as u64;
    let mut out: [String; 4] = base.clone();
    if round == 0 {
        return out;
    }
    let number = 1 + rng.below(2000) as u64;
    let drop = rng.below(4) == 0;
    let dated = rng.below(3) != 0;
    let (day, month, place) = (1 + rng.below(28), rng.below(12), rng.below(PLACES.len()));
    let opening = opening(day, month, place);
    for (l, text) in out.iter_mut().enumerate() {
        let mut t = renumber(text, number);
        if drop {
            if let Some(shorter) = drop_last_clause(&t) {
                t = shorter;
            }
        }
        if dated {
            t = format!("{} {}", opening[l], t);
        }
        *text = t;
    }
    out
}

/// Write `size` generated units as TMX to `out`.
pub fn write_tmx(bases: &[Base], size: u64, out: &Path) -> Result<(), ServiceError> {
    let file = File::create(out).map_err(|e| fail(out, e))?;
    let mut writer = TmxWriter::start(BufWriter::with_capacity(1 << 20, file), "en")
        .map_err(|e| fail(out, e))?;
    for i in 0..size {
        let texts = generate(bases, i);
        let unit = Unit {
            external_id: Some(format!("gen:{i}")),
            meta: Default::default(),
            variants: Lang::ALL
                .iter()
                .zip(texts)
                .map(|(&lang, text)| Variant::plain(lang, text))
                .collect(),
        };
        writer.write_unit(&unit, &[]).map_err(|e| fail(out, e))?;
    }
    writer
        .finish()
        .and_then(|mut w| w.flush())
        .map_err(|e| fail(out, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_digit_system() {
        assert_eq!(renumber("نحو ٣٠ عربة و 12", 45), "نحو ٤٥ عربة و 45");
    }

    #[test]
    fn clause_dropped_only_when_most_remains() {
        assert_eq!(
            drop_last_clause("The Coalition delivered vehicles to Erbil, the capital.").as_deref(),
            Some("The Coalition delivered vehicles to Erbil.")
        );
        assert_eq!(
            drop_last_clause("Yes, the Coalition delivered vehicles."),
            None
        );
    }

    #[test]
    fn generation_is_deterministic_and_varies_after_the_first_round() {
        let bases: Vec<Base> = vec![std::array::from_fn(|l| {
            format!("sentence {l}, with 3 parts here.")
        })];
        assert_eq!(generate(&bases, 0), bases[0]);
        assert_eq!(generate(&bases, 5), generate(&bases, 5));
        assert_ne!(generate(&bases, 5), generate(&bases, 6));
    }
}
