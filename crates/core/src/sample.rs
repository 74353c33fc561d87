//! What the generated data sets share — the synthetic registry of `lipa demo --synthetic` and
//! the search evaluation's network: a deterministic pseudo-random sequence and the names
//! chitalishta carry.

/// A deterministic pseudo-random sequence (SplitMix64): no dependency, same on every machine.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Names chitalishta carry (many share one, as in life).
pub const CHITALISHTE_NAMES: &[&str] = &[
    "Христо Ботев",
    "Васил Левски",
    "Просвета",
    "Пробуда",
    "Светлина",
    "Напредък",
    "Съзнание",
    "Развитие",
    "Отец Паисий",
    "Иван Вазов",
    "Зора",
    "Искра",
    "Надежда",
    "Изгрев",
    "Съгласие",
    "Самообразование",
    "Христо Смирненски",
    "Любен Каравелов",
    "Петко Славейков",
    "Звезда",
];
