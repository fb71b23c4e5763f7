"""The fixed words of a result letter, per language. The lay summary itself comes from the record; only
these frames are ours. A language missing here gets a clear per-letter error naming it, never a letter
with English frames around another language's summary.

English and German were written first; French, Spanish, Italian and Dutch are our own plain wording
(short sentences, the polite form of address each language expects in a letter). A roster row in a
language missing here is refused at import (``roster.language_no_letter_wording``).

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
    "fr": {
        "document_title": "Les résultats de l'essai auquel vous avez participé",
        "greeting": "Madame, Monsieur,",
        "thanks": (
            "Merci d'avoir participé à cet essai clinique. Merci aussi d'avoir demandé à en connaître les "
            "résultats. Grâce à des personnes comme vous, de nouveaux traitements voient le jour."
        ),
        "found_intro": "Les pages qui suivent expliquent avec des mots simples ce que l'essai a montré.",
        "your_arm": "Dans cet essai, vous faisiez partie du groupe qui a reçu : {arm}.",
        "arm_blinded": (
            "L'essai était en aveugle. Personne ne savait quel traitement chaque personne recevait. Cette "
            "information n'a pas encore été révélée."
        ),
        "questions": (
            "Si vous avez des questions sur ces résultats ou sur votre santé, contactez votre centre "
            "d'essai :"
        ),
        "reference": "Votre référence de participant",
        "not_advice": (
            "Ces résultats portent sur l'ensemble de l'essai. Ne changez pas votre traitement sans en parler "
            "à votre médecin."
        ),
        "summary_heading": "Ce que l'essai a montré",
        "sections": {
            "trialIdentification": "Comment s'appelait l'essai ?",
            "sponsorContact": "Qui a organisé cet essai ?",
            "generalInformation": "Pourquoi, où et quand l'essai a-t-il eu lieu ?",
            "population": "Qui a participé ?",
            "investigationalProducts": "Quels médicaments ont été étudiés ?",
            "adverseReactions": "Quels effets indésirables les participants ont-ils eus ?",
            "overallResults": "Quels ont été les résultats ?",
            "commentsOnOutcome": "À quoi cet essai a-t-il servi ?",
            "followUpTrials": "D'autres essais sont-ils prévus ?",
            "moreInformation": "Où trouver plus d'informations ?",
        },
    },
    "es": {
        "document_title": "Resultados del ensayo en el que usted participó",
        "greeting": "Estimado participante:",
        "thanks": (
            "Gracias por participar en este ensayo clínico. Gracias también por pedir sus resultados. "
            "Personas como usted hacen posibles nuevos tratamientos."
        ),
        "found_intro": "Las páginas siguientes explican con palabras sencillas lo que encontró el ensayo.",
        "your_arm": "En este ensayo, usted estaba en el grupo que recibió: {arm}.",
        "arm_blinded": (
            "El ensayo era ciego. Nadie sabía qué tratamiento recibía cada persona. Esto todavía no se ha "
            "revelado."
        ),
        "questions": (
            "Si tiene preguntas sobre estos resultados o sobre su salud, póngase en contacto con su centro "
            "del ensayo:"
        ),
        "reference": "Su referencia de participante",
        "not_advice": (
            "Estos resultados se refieren a todo el ensayo. No cambie su tratamiento sin hablar antes con su "
            "médico."
        ),
        "summary_heading": "Lo que encontró el ensayo",
        "sections": {
            "trialIdentification": "¿Cómo se llamaba el ensayo?",
            "sponsorContact": "¿Quién organizó este ensayo?",
            "generalInformation": "¿Por qué, dónde y cuándo se hizo el ensayo?",
            "population": "¿Quién participó?",
            "investigationalProducts": "¿Qué medicamentos se estudiaron?",
            "adverseReactions": "¿Qué efectos secundarios tuvieron las personas?",
            "overallResults": "¿Cuáles fueron los resultados?",
            "commentsOnOutcome": "¿Para qué ha servido este ensayo?",
            "followUpTrials": "¿Hay planes para más ensayos?",
            "moreInformation": "¿Dónde puedo saber más?",
        },
    },
    "it": {
        "document_title": "I risultati della sperimentazione a cui ha partecipato",
        "greeting": "Gentile partecipante,",
        "thanks": (
            "grazie per aver partecipato a questa sperimentazione clinica. Grazie anche per aver chiesto di "
            "conoscerne i risultati. Persone come lei rendono possibili nuove cure."
        ),
        "found_intro": "Le pagine seguenti spiegano con parole semplici che cosa ha scoperto lo studio.",
        "your_arm": "In questo studio lei faceva parte del gruppo che ha ricevuto: {arm}.",
        "arm_blinded": (
            "Lo studio era in cieco. Nessuno sapeva quale trattamento riceveva ciascuna persona. Questa "
            "informazione non è ancora stata rivelata."
        ),
        "questions": (
            "Se ha domande su questi risultati o sulla sua salute, contatti il suo centro di sperimentazione:"
        ),
        "reference": "Il suo codice di partecipante",
        "not_advice": (
            "Questi risultati riguardano l'intero studio. Non cambi la sua cura senza averne parlato con il "
            "suo medico."
        ),
        "summary_heading": "Che cosa ha scoperto lo studio",
        "sections": {
            "trialIdentification": "Come si chiamava lo studio?",
            "sponsorContact": "Chi ha promosso questo studio?",
            "generalInformation": "Perché, dove e quando è stato fatto lo studio?",
            "population": "Chi ha partecipato?",
            "investigationalProducts": "Quali medicinali sono stati studiati?",
            "adverseReactions": "Quali effetti collaterali hanno avuto le persone?",
            "overallResults": "Quali sono stati i risultati?",
            "commentsOnOutcome": "A che cosa è servito questo studio?",
            "followUpTrials": "Sono previsti altri studi?",
            "moreInformation": "Dove posso saperne di più?",
        },
    },
    "nl": {
        "document_title": "De resultaten van het onderzoek waaraan u meedeed",
        "greeting": "Beste deelnemer,",
        "thanks": (
            "Dank u wel dat u meedeed aan dit klinisch onderzoek. En dank u dat u om de resultaten vroeg. "
            "Mensen zoals u maken nieuwe behandelingen mogelijk."
        ),
        "found_intro": "Op de volgende bladzijden leest u in eenvoudige woorden wat het onderzoek vond.",
        "your_arm": "In dit onderzoek zat u in de groep die dit kreeg: {arm}.",
        "arm_blinded": (
            "Het onderzoek was geblindeerd. Niemand wist welke behandeling iemand kreeg. Dat is nog niet "
            "bekendgemaakt."
        ),
        "questions": (
            "Hebt u vragen over deze resultaten of over uw gezondheid? Neem dan contact op met uw "
            "onderzoekscentrum:"
        ),
        "reference": "Uw deelnemersnummer",
        "not_advice": (
            "Deze resultaten gaan over het hele onderzoek. Verander uw behandeling niet zonder eerst met uw "
            "arts te praten."
        ),
        "summary_heading": "Wat het onderzoek vond",
        "sections": {
            "trialIdentification": "Hoe heette het onderzoek?",
            "sponsorContact": "Wie organiseerde dit onderzoek?",
            "generalInformation": "Waarom, waar en wanneer werd het onderzoek gedaan?",
            "population": "Wie deden er mee?",
            "investigationalProducts": "Welke geneesmiddelen werden onderzocht?",
            "adverseReactions": "Welke bijwerkingen hadden de deelnemers?",
            "overallResults": "Wat waren de resultaten?",
            "commentsOnOutcome": "Wat heeft dit onderzoek opgeleverd?",
            "followUpTrials": "Komen er nog meer onderzoeken?",
            "moreInformation": "Waar vind ik meer informatie?",
        },
    },
}


def wording_for(language: str) -> dict[str, Any] | None:
    """The letter wording for a BCP 47 tag by its primary language subtag (``fr-BE`` -> ``fr``), or None
    when letters have none in that language."""
    return WORDING.get(language.split("-", 1)[0].lower())


def letter_languages() -> tuple[str, ...]:
    """The primary language subtags letters can be written in."""
    return tuple(sorted(WORDING))
