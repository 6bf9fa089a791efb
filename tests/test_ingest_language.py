"""Language detection by script and stopwords, and arXiv reference parsing."""

from __future__ import annotations

import pytest

from podcast.ingest.arxiv_ids import parse_reference
from podcast.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("이 논문은 어텐션만으로 번역 품질을 높입니다.", "ko"),
        ("यह शोध-पत्र एक नया तरीका प्रस्तुत करता है।", "hi"),
        ("この論文は新しい手法を提案します。", "ja"),
        ("这篇论文提出了一种新的训练方法。", "zh"),
        ("В этой статье предлагается новый метод обучения.", "ru"),
        ("تقترح هذه الورقة طريقة جديدة للتدريب.", "ar"),
        ("The paper proposes a new method for training the model.", "en"),
        ("Le modèle est entraîné sur des données qui sont dans la base, et nous les présentons.", "fr"),
        ("Das Modell wird mit den Daten trainiert, die nicht auf der Seite von uns sind.", "de"),
        ("El modelo se entrena con los datos de la base y los resultados son buenos para una parte.", "es"),
        ("O modelo é treinado com os dados da base e os resultados são bons para uma parte, não é?", "pt"),
        ("Il modello è addestrato con i dati della base e i risultati sono buoni per una parte.", "it"),
        ("", "en"),
        ("12345 --- !!!", "en"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_mixed_text_goes_by_the_non_latin_script():
    korean = "트랜스포머 구조를 제안합니다. 병렬로 처리하기 쉬워 학습 시간이 크게 줄어듭니다."
    english = "Attention Is All You Need. We propose a new simple network architecture, the Transformer."
    assert detect_language(f"{korean}\n{english}\n{english}") == "ko"


def test_stray_symbols_do_not_change_english():
    text = "We set the learning rate η and momentum β; the authors (张伟, Иванов) report gains. " * 3
    assert detect_language(text) == "en"


def test_weak_evidence_stays_english():
    assert detect_language("Le Transformer") == "en"  # one French word is not clear evidence


@pytest.mark.parametrize(
    ("reference", "arxiv_id"),
    [
        ("2501.00343", "2501.00343"),
        ("2501.00343v2", "2501.00343"),
        ("arXiv:2501.00343", "2501.00343"),
        ("https://arxiv.org/abs/2501.00343", "2501.00343"),
        ("https://arxiv.org/pdf/1611.02731v2", "1611.02731"),
        ("https://arxiv.org/pdf/1611.02731.pdf", "1611.02731"),
        ("https://arxiv.org/abs/2501.00343/", "2501.00343"),
        ("https://www.arxiv.org/abs/2501.12948", "2501.12948"),
        ("http://export.arxiv.org/abs/1706.03762?context=cs", "1706.03762"),
        ("https://alphaxiv.org/abs/2501.12948v1", "2501.12948"),
        ("https://www.alphaxiv.org/overview/2501.12948", "2501.12948"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/abs/math/0406077", "math/0406077"),
        ("math.GT/0309136", "math/0309136"),
        ("0704.0001", "0704.0001"),
        ("2501.0034", None),  # five digits after 2015
        ("2513.00001", None),  # no month 13
        ("https://example.org/abs/2501.00343", None),
        ("hello", None),
    ],
)
def test_parse_reference(reference, arxiv_id):
    assert parse_reference(reference) == arxiv_id


def test_long_text_is_sampled_throughout():
    english = "The model is trained on the data and it works well for the task. " * 800
    korean = "이 모델은 데이터로 학습되어 과제에서 잘 작동합니다. " * 800
    assert len(english + korean) > 60_000
    assert detect_language(english + korean) == "ko"  # the Korean half is not missed
