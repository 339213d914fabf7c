//! Micro-benchmarks of the pure core (issue #7): the match scorer, the tokenizer (normalizer +
//! stemmer), the sentence segmenter and the term automaton. `cargo bench --bench core`.
//! Inputs are written here (press-release sentences in the four languages), not corpora.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use werger::core::fuzzy::Scorer;
use werger::core::glossary::recognize::Recognizer;
use werger::core::glossary::{Concept, Status, Term};
use werger::core::lang::Lang;
use werger::core::segment::sentences;
use werger::core::tokenize::{tokenize, Analyzed};

const EN: &str = "The Coalition delivered 30 armoured vehicles to the Peshmerga Security Forces in Erbil on May 4, 2021, to support operations against Daesh remnants.";
const EN_NEAR: &str = "The Coalition delivered 45 armoured vehicles to the Peshmerga Security Forces in Duhok on June 9, 2021, to support operations against Daesh.";
const AR: &str = "سلّم التحالف 30 عربة مدرعة إلى قوات البيشمركة في أربيل في 4 أيار 2021، لدعم العمليات ضد فلول داعش.";
const AR_NEAR: &str =
    "سلّم التحالف 45 عربة مدرعة لقوات البيشمركة في دهوك في 9 حزيران 2021، لدعم العمليات ضد داعش.";
const CKB: &str = "هاوپەیمانی 30 ئۆتۆمبێلی زرێپۆشی ڕادەستی هێزەکانی پێشمەرگە کرد لە هەولێر لە 4ی ئایاری 2021، بۆ پشتگیریی ئۆپەراسیۆنەکان دژی پاشماوەکانی داعش.";
const KMR: &str = "Hevpeymaniyê 30 wesayîtên zirxî radestî Hêzên Pêşmerge kirin li Hewlêrê di 4ê Gulana 2021ê de, ji bo piştgiriya operasyonên li dijî bermayiyên DAIŞê.";

fn scorer(c: &mut Criterion) {
    for (name, lang, a, b) in [("en", Lang::En, EN, EN_NEAR), ("ar", Lang::Ar, AR, AR_NEAR)] {
        let (qa, qb) = (Analyzed::new(lang, a), Analyzed::new(lang, b));
        let mut scorer = Scorer::new();
        c.bench_function(&format!("score/{name}"), |bench| {
            bench.iter(|| scorer.score(black_box(&qa), black_box(&qb)))
        });
        c.bench_function(&format!("score_with_diff/{name}"), |bench| {
            bench.iter(|| scorer.score_with_diff(black_box(&qa), black_box(&qb)))
        });
    }
}

fn analysis(c: &mut Criterion) {
    for (name, lang, text) in [
        ("en", Lang::En, EN),
        ("ar", Lang::Ar, AR),
        ("ckb", Lang::Ckb, CKB),
        ("kmr", Lang::Kmr, KMR),
    ] {
        c.bench_function(&format!("tokenize/{name}"), |bench| {
            bench.iter(|| tokenize(lang, black_box(text)))
        });
    }
    let release: String = [
        EN,
        "He said: \"We will continue.\"",
        EN_NEAR,
        "Lt. Gen. Smith met Col. Jones at 10 a.m.",
    ]
    .repeat(25)
    .join(" ");
    c.bench_function("segment/en-100-sentences", |bench| {
        bench.iter(|| sentences(Lang::En, black_box(&release)))
    });
}

fn terms(c: &mut Criterion) {
    let words = [
        "vehicle",
        "force",
        "operation",
        "security",
        "support",
        "region",
        "ministry",
        "health",
        "council",
        "delegation",
        "command",
        "border",
        "training",
        "equipment",
        "advisor",
    ];
    // A 3,000-concept glossary: one- to three-word terms built from the words above.
    let mut concepts = Vec::new();
    for i in 0..3000 {
        let n = 1 + i % 3;
        let text: Vec<&str> = (0..n)
            .map(|k| words[(i * 7 + k * 5) % words.len()])
            .collect();
        concepts.push(Concept {
            id: format!("c{i}"),
            terms: vec![Term::new(
                Lang::En,
                format!("{} {i}", text.join(" ")),
                Status::Preferred,
            )],
            ..Concept::default()
        });
    }
    concepts.push(Concept {
        id: "psf".into(),
        terms: vec![Term::new(
            Lang::En,
            "Peshmerga Security Forces",
            Status::Preferred,
        )],
        ..Concept::default()
    });
    let recognizer = Recognizer::new(concepts);
    let release: String = [EN, EN_NEAR].repeat(50).join(" ");
    c.bench_function("terms/en-2000-words", |bench| {
        bench.iter(|| recognizer.find(Lang::En, black_box(&release)))
    });
}

criterion_group!(benches, scorer, analysis, terms);
criterion_main!(benches);
