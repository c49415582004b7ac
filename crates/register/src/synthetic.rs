//! A deterministic synthetic corpus for the ingest benchmark: text dumps of about 500 words in the
//! style of the seeds, about invented people (common given names joined to surnames made from the
//! syllable tables in `data/synthetic.txt`), with persecution sentences the event stage can read.
//! Pure: it makes bytes, the caller decides where they go.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The tables of `data/synthetic.txt`, by section.
static TABLES: LazyLock<HashMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| {
    let mut tables: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut section = "";
    for line in include_str!("../data/synthetic.txt").lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        tables.entry(section).or_default().push(line);
    }
    tables
});

fn table(name: &str) -> &'static [&'static str] {
    TABLES.get(name).map(Vec::as_slice).unwrap_or(&[])
}

/// SplitMix64: a tiny, well-known generator; written out so the corpus is the same on every
/// platform and every version of every dependency.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

/// The English name of month `index` (0 for January), from the shared calendar.
fn month_name(index: usize) -> &'static str {
    u32::try_from(index % 12 + 1)
        .ok()
        .and_then(casebook_vocabulary::month_name)
        .unwrap_or_default()
}

/// Makes synthetic articles; the same seed and population give the same corpus.
#[derive(Debug, Clone)]
pub struct Generator {
    seed: u64,
    population: usize,
}

impl Generator {
    /// A generator whose articles name persons drawn from `population` invented people.
    pub fn new(seed: u64, population: usize) -> Self {
        Generator {
            seed,
            population: population.max(1),
        }
    }

    /// The name of invented person `n`.
    pub fn person(&self, n: usize) -> String {
        let mut rng = Rng(self.seed ^ (n as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        let given = rng.pick(table("given"));
        let mut surname = String::from(rng.pick(table("onsets")));
        surname.push_str(rng.pick(table("middles")));
        if rng.below(2) == 0 {
            surname.push_str(rng.pick(table("middles")));
        }
        surname.push_str(rng.pick(table("endings")));
        format!("{given} {surname}")
    }

    /// Article `n`: its source name and the bytes of a plain-text dump.
    pub fn article(&self, n: u64) -> (String, Vec<u8>) {
        let mut rng = Rng(self
            .seed
            .wrapping_add(n.wrapping_mul(0x2545_F491_4F6C_DD1D)));
        // A skewed choice of people: some are in the news far more often than others.
        let person = |rng: &mut Rng| {
            let a = rng.below(self.population);
            let b = rng.below(self.population);
            self.person(a.min(b))
        };
        let (p1, p2, p3) = (person(&mut rng), person(&mut rng), person(&mut rng));
        let year = 2015 + rng.below(11);
        let month = rng.below(12);
        let day = 1 + rng.below(28);
        let place = rng.pick(table("places"));
        let fill = |sentence: &str, rng: &mut Rng| -> String {
            sentence
                .replace("{P1}", &p1)
                .replace("{P2}", &p2)
                .replace("{P3}", &p3)
                .replace("{PLACE}", place)
                .replace("{COURT}", rng.pick(table("courts")))
                .replace(
                    "{DATE}",
                    &format!("{} {} {year}", 1 + rng.below(28), month_name(month)),
                )
                .replace("{MONTH}", month_name(month + 2))
                .replace("{YEARS}", &(5 + rng.below(15)).to_string())
                .replace(
                    "{ARTICLE}",
                    rng.pick(&["205.5 part 2", "278", "275.1", "280.3"]),
                )
        };
        let mut out = format!(
            "{day:02}.{:02}.{year} 09:{:02}\n\nCourt news from {place}: the case of {p1}\n\n",
            month + 1,
            rng.below(60)
        );
        let mut words = 0;
        let mut paragraph = 0;
        while words < 500 {
            let mut para: Vec<String> = Vec::new();
            for _ in 0..3 {
                let pool = if paragraph == 0 || rng.below(3) == 0 {
                    "events"
                } else {
                    "filler"
                };
                let sentence = fill(rng.pick(table(pool)), &mut rng);
                words += sentence.split_whitespace().count();
                para.push(sentence);
            }
            out.push_str(&para.join(" "));
            out.push_str("\n\n");
            paragraph += 1;
        }
        (format!("synthetic/{n:07}.txt"), out.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_deterministic_and_about_500_words() {
        let g = Generator::new(7, 1000);
        let (src, a) = g.article(42);
        assert_eq!(g.article(42), (src.clone(), a.clone()));
        assert_ne!(g.article(43).1, a);
        assert_eq!(src, "synthetic/0000042.txt");
        let text = String::from_utf8(a).unwrap();
        let words = text.split_whitespace().count();
        assert!((500..700).contains(&words), "{words} words");
        assert!(!text.contains('{'), "unfilled slot in {text}");
    }

    #[test]
    fn every_table_is_filled() {
        for t in [
            "given", "onsets", "middles", "endings", "places", "courts", "events", "filler",
        ] {
            assert!(!table(t).is_empty(), "table {t} is empty");
        }
        let g = Generator::new(1, 50);
        let name = g.person(3);
        assert_eq!(name.split(' ').count(), 2);
        assert_eq!(name, g.person(3));
    }
}
