//! The tantivy face of the text pipeline of `lipa_core::search_text`: a tokenizer that folds
//! words and a filter that drops stop words (the vocabulary), and a tokenizer that runs the
//! whole pipeline (the searchable fields).
//! Nothing here decides how Bulgarian is read — that lives in core, where the query side uses it
//! too — this module only feeds tantivy the same tokens.

use lipa_core::search_text;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

/// Name of the analyzer of every searchable field: folded, stop words dropped, stemmed.
pub const TERMS: &str = "lipa_terms";
/// Name of the analyzer of the vocabulary field: folded words, stop words dropped, unstemmed.
pub const WORDS: &str = "lipa_words";

/// The analyzer of the searchable fields.
pub fn terms_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(TermsTokenizer)
}

/// The analyzer of the vocabulary: the words a Latin query word may be read as.
pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FoldingTokenizer)
        .filter(StopWords)
        .build()
}

/// Splits a text into words and folds each (step 1 of the pipeline).
#[derive(Clone, Copy, Debug, Default)]
pub struct FoldingTokenizer;

pub struct FoldedTokens {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for FoldingTokenizer {
    type TokenStream<'a> = FoldedTokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FoldedTokens {
        let tokens = search_text::words(text)
            .into_iter()
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: t.from,
                offset_to: t.to,
                position,
                text: t.word,
                position_length: 1,
            })
            .collect();
        FoldedTokens { tokens, next: 0 }
    }
}

impl TokenStream for FoldedTokens {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Drops the words `search_text::is_stopword` names (step 2).
#[derive(Clone, Copy, Debug, Default)]
pub struct StopWords;

#[derive(Clone)]
pub struct StopWordsTokenizer<T>(T);

pub struct StopWordsStream<S>(S);

impl TokenFilter for StopWords {
    type Tokenizer<T: Tokenizer> = StopWordsTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StopWordsTokenizer<T> {
        StopWordsTokenizer(tokenizer)
    }
}

impl<T: Tokenizer> Tokenizer for StopWordsTokenizer<T> {
    type TokenStream<'a> = StopWordsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StopWordsStream(self.0.token_stream(text))
    }
}

impl<S: TokenStream> TokenStream for StopWordsStream<S> {
    fn advance(&mut self) -> bool {
        while self.0.advance() {
            if !search_text::is_stopword(&self.0.token().text) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// The whole pipeline of `search_text::analyze` as one tokenizer (steps 1–3): it needs the
/// text as written, since a place name written with a capital is kept whole, not stemmed.
#[derive(Clone, Copy, Debug, Default)]
pub struct TermsTokenizer;

impl Tokenizer for TermsTokenizer {
    type TokenStream<'a> = FoldedTokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FoldedTokens {
        let tokens = search_text::analyze(text)
            .into_iter()
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: t.from,
                offset_to: t.to,
                position,
                text: t.term,
                position_length: 1,
            })
            .collect();
        FoldedTokens { tokens, next: 0 }
    }
}

/// The tokens an analyzer makes of `text` (for tests and the vocabulary).
pub fn run(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn analyzer_gives_the_core_terms() {
        let text = "Е-бизнес: Информационно-административни услуги за „овощари“ /черешопроизводители/ в с. Коняво, 1922 г.";
        assert_eq!(run(&mut terms_analyzer(), text), search_text::terms(text));
        assert!(run(&mut words_analyzer(), text).contains(&"овощари".to_owned()));
    }

    proptest! {
        #[test]
        fn analyzer_and_core_agree(s in "\\PC{0,80}") {
            prop_assert_eq!(run(&mut terms_analyzer(), &s), search_text::terms(&s));
        }
    }
}
