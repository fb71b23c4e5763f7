"""The fixed words of a result letter, per language. The lay summary itself comes from the record; only
these frames are ours. A language missing here gets a clear per-letter error naming it, never a letter
with English frames around another language's summary.

Headings follow the lay-friendly wording of the EU expert group's template (Summaries of Clinical Trial
Results for Laypersons, v2, 5 February 2018, Annex 1) for the ten Annex V items.
"""

from __future__ import annotations

from typing import Any

WORDING: dict[str, dict[str, Any]] = {
    "en": {
        "document_title": "Results of the trial you took part in",
        "greeting": "Dear participant,",
        "thanks": (
            "Thank you for taking part in this clinical trial and for asking to receive its results. "
            "People like you make new treatments possible."
        ),
        "found_intro": "The pages after this letter explain in plain words what the trial found.",
        "your_arm": "In this trial you were in the group that received: {arm}.",
        "arm_blinded": (
            "The trial was blinded: nobody knew which treatment each person received, and this has not "
            "been revealed yet."
        ),
        "questions": (
            "If you have questions about these results or about your health, please contact your trial site:"
        ),
        "reference": "Your participant reference",
        "not_advice": (
            "These results are about the whole trial. Please do not change your treatment without talking "
            "to your doctor."
        ),
        "summary_heading": "What the trial found",
        "sections": {
            "trialIdentification": "What was the trial called?",
            "sponsorContact": "Who sponsored this trial?",
            "generalInformation": "Why was the trial done, where and when?",
            "population": "Who took part?",
            "investigationalProducts": "Which medicines were studied?",
            "adverseReactions": "What side effects did people have?",
            "overallResults": "What were the results?",
            "commentsOnOutcome": "How has this trial helped?",
            "followUpTrials": "Are there plans for further trials?",
            "moreInformation": "Where can I learn more?",
        },
    },
    "de": {
        "document_title": "Ergebnisse der Studie, an der Sie teilgenommen haben",
        "greeting": "Liebe Teilnehmerin, lieber Teilnehmer,",
        "thanks": (
            "vielen Dank, dass Sie an dieser klinischen Studie teilgenommen und um ihre Ergebnisse gebeten "
            "haben. Menschen wie Sie machen neue Behandlungen möglich."
        ),
        "found_intro": "Auf den folgenden Seiten steht in einfachen Worten, was die Studie gefunden hat.",
        "your_arm": "In dieser Studie waren Sie in der Gruppe, die Folgendes erhielt: {arm}.",
        "arm_blinded": (
            "Die Studie war verblindet: Niemand wusste, welche Behandlung eine Person erhielt, und dies "
            "wurde noch nicht aufgedeckt."
        ),
        "questions": (
            "Bei Fragen zu diesen Ergebnissen oder zu Ihrer Gesundheit wenden Sie sich bitte an Ihr "
            "Studienzentrum:"
        ),
        "reference": "Ihre Teilnehmerkennung",
        "not_advice": (
            "Diese Ergebnisse betreffen die ganze Studie. Bitte ändern Sie Ihre Behandlung nicht, ohne mit "
            "Ihrer Ärztin oder Ihrem Arzt zu sprechen."
        ),
        "summary_heading": "Was die Studie gefunden hat",
        "sections": {
            "trialIdentification": "Wie hieß die Studie?",
            "sponsorContact": "Wer hat die Studie durchgeführt?",
            "generalInformation": "Warum, wo und wann wurde die Studie durchgeführt?",
            "population": "Wer hat teilgenommen?",
            "investigationalProducts": "Welche Arzneimittel wurden untersucht?",
            "adverseReactions": "Welche Nebenwirkungen traten auf?",
            "overallResults": "Was waren die Ergebnisse?",
            "commentsOnOutcome": "Wie hat diese Studie geholfen?",
            "followUpTrials": "Sind weitere Studien geplant?",
            "moreInformation": "Wo finde ich weitere Informationen?",
        },
    },
}


def wording_for(language: str) -> dict[str, Any] | None:
    return WORDING.get(language.split("-", 1)[0].lower())
