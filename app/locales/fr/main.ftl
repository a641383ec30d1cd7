# Veille — catalogue français (langue de travail, et langue par défaut)

## Navigation
nav-skip = Aller au contenu
nav-main = Navigation principale
nav-home = Retour à l'accueil
nav-login = Se connecter
nav-logout = Se déconnecter
nav-quick-exit = Sortie rapide
nav-forgot-password = Mot de passe oublié ?
nav-organisation = Mon organisation
nav-members = Membres
nav-institution = Mon institution
nav-monitoring = Suivi
nav-admin = Administration
nav-users = Comptes
nav-organisations = Organisations
nav-institutions = Institutions
nav-categories = Catégories
nav-holidays = Jours fériés
nav-regions = Régions et cercles

## Langues
lang-fr = Français
lang-en = English

## Rôles
role-cso_member = Membre d'organisation
role-cso_coordinator = Coordination d'organisation
role-liaison = Officier de liaison
role-monitor = Analyste de la CNDH
role-admin = Administration

## Accueil
home-title = Veille citoyenne du secteur de la sécurité
home-lead = Les organisations de la société civile signalent ce qu'elles observent sur la police, la gendarmerie, les forces armées, la protection civile, la justice et l'administration pénitentiaire. La Commission nationale des droits de l'Homme transmet, l'institution répond, chacun suit la réponse.
home-step-file = Une organisation dépose une observation.
home-step-triage = La CNDH l'examine et la transmet à l'institution concernée.
home-step-respond = L'institution répond officiellement ; l'organisation accepte ou conteste.
home-invitation-only = L'accès se fait sur invitation : adressez-vous à votre coordination ou à la CNDH.

## Pages
page-login-title = Connexion
page-forgot-title = Mot de passe oublié
page-forgot-lead = Indiquez votre adresse e-mail : si un compte existe, vous recevrez un lien pour choisir un nouveau mot de passe.
page-set-password-title = Choisir un mot de passe
page-set-password-lead = Ce lien ne sert qu'une fois. Choisissez un mot de passe que vous n'utilisez nulle part ailleurs.
page-not-found-title = Page introuvable

## Pages d'arrivée
landing-organisation-title = Espace de l'organisation
landing-organisation-lead = Vos observations et les réponses des institutions apparaîtront ici.
landing-no-observations = Aucune observation pour l'instant.
landing-institution-title = Espace de l'institution
landing-institution-lead = Les observations transmises à votre institution par la CNDH apparaîtront ici.
landing-no-referrals = Aucune observation transmise pour l'instant.
landing-monitoring-title = Suivi de la CNDH
landing-monitoring-lead = Les observations à examiner et les tendances apparaîtront ici.
landing-no-submissions = Aucune observation à examiner pour l'instant.
landing-admin-title = Administration de la plateforme
landing-admin-lead = Comptes, organisations et données de référence.

## Administration
admin-users-title = Comptes
admin-users-lead = Invitez les coordinations d'organisations, les officiers de liaison, les analystes de la CNDH et les administrateurs.
admin-members-lead = Invitez les membres de votre organisation ou désactivez leur compte.
admin-invite-title = Inviter une personne
admin-status-active = Actif
admin-status-invited = Invité
admin-status-disabled = Désactivé
admin-organisations-lead = Les organisations de la société civile enregistrées.
admin-organisation-new = Nouvelle organisation
admin-womens-tag = Organisation de femmes
admin-institutions-lead = Délais de réponse en jours ouvrés, comptés à partir de la transmission.
admin-categories-lead = Les thèmes proposés aux organisations. Un thème sensible restreint qui peut traiter l'observation.
admin-holidays-lead = Les jours fériés ne comptent pas dans les délais. Les dates religieuses sont approximatives : corrigez-les quand elles sont annoncées.
admin-holiday-new = Ajouter un jour férié
admin-regions-lead = Régions du Mali et cercles (découpage historique).
admin-no-cercles = Cercles non renseignés.

## Champs
field-email = Adresse e-mail
field-password = Mot de passe
field-new-password = Nouveau mot de passe
field-confirm-password = Confirmer le mot de passe
field-display-name = Nom affiché
field-role = Rôle
field-organisation = Organisation
field-institution = Institution
field-language = Langue
field-affiliation = Rattachement
field-status = État
field-actions = Actions
field-name = Nom
field-name-fr = Nom en français
field-name-en = Nom en anglais
field-acronym = Sigle
field-region = Région
field-womens-organisation = Organisation de femmes
field-contact-email = E-mail de contact
field-ack-days = Accusé de réception (jours ouvrés)
field-respond-days = Réponse (jours ouvrés)
field-active = Actif
field-sensitive = Sensible
field-date = Date

## Aides de formulaire
form-password-rule = De 12 à 128 caractères, tous les caractères sont permis.
form-organisation-hint = Pour une coordination d'organisation.
form-institution-hint = Pour un officier de liaison.

## Actions
action-login = Se connecter
action-send-link = Envoyer le lien
action-save-password = Enregistrer le mot de passe
action-invite = Envoyer l'invitation
action-enable = Réactiver
action-disable = Désactiver
action-save = Enregistrer
action-create = Créer
action-add = Ajouter
action-delete = Supprimer

## Avis
notice-loading = Chargement…
notice-reset-sent = Si un compte existe pour cette adresse, un lien vient de lui être envoyé. Il est valable une heure.
notice-invitation-sent = Invitation envoyée.

## Erreurs
error-unauthenticated = Veuillez vous connecter pour voir cette page.
error-not-found = Introuvable.
error-forbidden = Vous n'avez pas accès à cette page.
error-invalid-credentials = Adresse e-mail ou mot de passe incorrect.
error-too-many-attempts = Trop de tentatives. Patientez une minute avant de réessayer.
error-invalid-token = Ce lien n'est plus valable (déjà utilisé ou expiré). Demandez-en un nouveau.
error-validation = Veuillez corriger les champs signalés.
error-unexpected = Une erreur inattendue s'est produite. Réessayez plus tard.
error-request = La demande n'a pas pu être traitée. Vérifiez votre connexion et réessayez.
error-reference = (référence { $reference })
error-required = Ce champ est obligatoire.
error-email-invalid = Adresse e-mail non valide.
error-email-taken = Un compte existe déjà pour cette adresse.
error-name-invalid = Nom non valide (120 caractères au plus).
error-password-too-short = Le mot de passe doit compter au moins 12 caractères.
error-password-too-long = Le mot de passe doit compter au plus 128 caractères.
error-password-mismatch = Les deux mots de passe ne correspondent pas.
error-role-invalid = Vous ne pouvez pas inviter à ce rôle.
error-organisation-required = Choisissez une organisation active.
error-institution-required = Choisissez une institution active.
error-organisation-exists = Une organisation porte déjà ce nom.
error-region-invalid = Région inconnue.
error-days-invalid = Indiquez un nombre de jours entre 1 et 365.
error-date-invalid = Date non valide (format AAAA-MM-JJ).
error-holiday-exists = Ce jour est déjà férié.
error-locale-invalid = Langue inconnue.
error-cannot-disable-self = Vous ne pouvez pas désactiver votre propre compte.

## Courriels
mail-greeting = Bonjour { $name },
mail-invitation-subject = Veille : votre invitation
mail-invitation-body = Un compte a été ouvert pour vous sur Veille. Choisissez votre mot de passe avec ce lien :
mail-invitation-validity = Ce lien ne sert qu'une fois et reste valable 7 jours.
mail-reset-subject = Veille : nouveau mot de passe
mail-reset-body = Une demande de nouveau mot de passe a été faite pour votre compte. Choisissez-le avec ce lien :
mail-reset-validity = Ce lien ne sert qu'une fois et reste valable une heure.
mail-ignore = Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.

## Types d'institution
kind-police = Police
kind-gendarmerie = Gendarmerie
kind-national_guard = Garde nationale
kind-armed_forces = Forces armées
kind-civil_protection = Protection civile
kind-penal_service = Administration pénitentiaire
kind-military_justice = Justice militaire
kind-inspectorate = Inspection
kind-ministry = Ministère
kind-nhrc = Institution nationale des droits de l'Homme
kind-ombudsman = Médiateur
kind-ssr_body = Organe de la réforme du secteur de la sécurité
kind-legislature = Organe législatif

## Données de référence (suite)
admin-institution-new = Nouvelle institution
admin-cercle-new = Ajouter un cercle
field-kind = Type
field-parent = Rattachée à (sigle)
field-cercle = Cercle
error-institution-exists = Une institution porte déjà ce sigle.
error-kind-invalid = Type inconnu.
error-cercle-exists = Ce cercle existe déjà dans cette région.
admin-category-new = Nouvelle catégorie

## Observations
nav-observations = Observations
nav-referrals = Observations transmises
nav-pages = Pages de résultats
nav-previous = Page précédente
nav-next = Page suivante
page-observations-title = Observations
page-new-observation-title = Nouvelle observation
page-draft-title = Brouillon d'observation
page-referrals-title = Observations transmises à votre institution
landing-our-observations = Nos observations
landing-referrals = Observations à traiter
landing-overdue = En retard
landing-triage = À examiner
landing-all-observations = Toutes les observations
list-count = { $count } résultat(s) · page { $page } sur { $pages }
list-empty = Aucune observation ne correspond.
notice-submitted = Observation déposée. La CNDH va l'examiner.
notice-saved = Brouillon enregistré.

action-new-observation = Déposer une observation
action-save-draft = Enregistrer le brouillon
action-submit = Déposer l'observation
action-resume-draft = Reprendre le brouillon
action-forward = Transmettre
action-add-note = Ajouter la note
action-upload = Joindre les documents
action-record = Enregistrer
action-filter = Filtrer
action-obs-submit = Déposer
action-obs-ask_info = Demander des précisions
action-obs-clarify = Apporter les précisions
action-obs-forward = Transmettre
action-obs-decline = Refuser l'observation
action-obs-close = Clôturer l'observation
action-obs-reopen = Rouvrir
action-obs-withdraw = Retirer l'observation
action-ref-acknowledge = Accuser réception
action-ref-start = Ouvrir l'enquête
action-ref-ask_info = Demander des informations
action-ref-clarify = Répondre à la demande d'informations
action-ref-respond = Répondre officiellement
action-ref-accept = Accepter la réponse
action-ref-contest = Contester la réponse
action-ref-escalate = Escalader
action-ref-return = Renvoyer à l'institution
action-ref-close = Clôturer la transmission

status-obs-draft = Brouillon
status-obs-submitted = Déposée
status-obs-needs_info = Précisions demandées
status-obs-referred = Transmise
status-obs-declined = Refusée
status-obs-closed = Clôturée
status-ref-forwarded = Transmise
status-ref-acknowledged = Réception accusée
status-ref-in_progress = En cours d'enquête
status-ref-info_requested = Informations demandées
status-ref-responded = Réponse donnée
status-ref-accepted = Réponse acceptée
status-ref-contested = Réponse contestée
status-ref-escalated = Escaladée
status-ref-closed = Clôturée
status-overdue = En retard

resolution-resolved = Résolue
resolution-partially_resolved = Partiellement résolue
resolution-unresolved = Non résolue
resolution-referred_elsewhere = Orientée ailleurs
resolution-withdrawn = Retirée

protection-anonymous_to_institution = L'institution ne saura pas quelle organisation a déposé (recommandé)
protection-organisation_visible = L'institution verra le nom de notre organisation
protection-named_contact = L'institution peut contacter la personne nommée ci-dessous, qui y consent

visibility-everyone = Toutes les parties
visibility-cso_nhrc = Organisation et CNDH
visibility-nhrc = CNDH seulement

event-submit = Observation déposée
event-ask_info = Précisions demandées
event-clarify = Précisions apportées
event-forward = Transmise à l'institution
event-decline = Observation refusée
event-close = Clôturée
event-reopen = Rouverte
event-withdraw = Retirée par l'organisation
event-acknowledge = Réception accusée
event-start = Enquête ouverte
event-respond = Réponse officielle
event-accept = Réponse acceptée
event-contest = Réponse contestée
event-escalate = Escaladée à la CNDH
event-return = Renvoyée à l'institution
event-comment = Note
event-action_taken = Mesure prise
event-document_added = Document joint
event-closed_with_observation = Clôturée avec l'observation
event-auto_escalate = Escaladée automatiquement (délai dépassé)

obs-untitled = (sans titre)
obs-no-files = Aucun fichier.
obs-document = document de l'institution
obs-original = original scellé
obs-timeline = Historique
obs-system = Système
obs-sensitive = Sensible
obs-actions = Actions possibles
obs-forward-title = Transmettre à une institution
obs-forward-hint = Une transmission par institution. Vous pouvez retirer du titre et de la description tout ce qui pourrait identifier les personnes : l'original reste visible pour la CNDH et l'organisation.
obs-referrals = Transmissions
obs-ack-due = Accusé de réception attendu le
obs-respond-due = Réponse attendue le
obs-released-version = Version transmise à l'institution
obs-add-note = Ajouter une note
obs-forwarded-on = Transmise le
obs-due = Échéance
obs-files = Pièces
obs-organisation-protected = Non communiquée (protection de l'identité)
obs-documents-title = Documents de l'institution
obs-action-taken-title = Mesure prise

field-title = Titre
field-description = Description des faits
field-category = Catégorie
field-institutions = Institution(s) concernée(s)
field-place = Lieu précis
field-incident-date = Date des faits
field-date-day = Date exacte
field-date-month = Mois (date approximative)
field-affected = Personnes touchées
field-women = Femmes
field-men = Hommes
field-girls = Filles (moins de 18 ans)
field-boys = Garçons (moins de 18 ans)
field-protection = Protection de l'identité
field-contact-name = Personne à contacter
field-contact-phone = Téléphone de cette personne
field-contact-consent = Cette personne accepte d'être contactée par l'institution
field-evidence = Pièces justificatives
field-resolution = Issue
field-note = Note (facultative)
field-note-required = Motif ou message (obligatoire)
field-released-title = Titre transmis
field-released-description = Description transmise
field-share-evidence = Transmettre les pièces (copies sans métadonnées)
field-visibility = Visible par
field-documents = Documents
field-action-taken = Mesure prise (visible par l'organisation et la CNDH)
field-search = Rechercher (texte ou référence)
field-from = Du
field-to = Au
field-sort = Ordre
field-overdue-only = En retard seulement

form-filing-hint = Ne mettez aucun nom de victime ni de témoin. Vous pouvez enregistrer un brouillon à tout moment et le reprendre plus tard.
form-title-hint = Quelques mots, sans nom de personne.
form-description-hint = Ce qui s'est passé, quand, qui était en cause (unité, fonction), sans nommer les victimes.
form-choose = — Choisir —
form-institutions-hint = Celles que vous pensez concernées ; la CNDH décide à qui transmettre.
form-place-hint = Quartier, village, poste de contrôle…
form-date-exact = Je connais le jour
form-date-month = Je ne connais que le mois
form-month-hint = Format AAAA-MM, par exemple 2026-10.
form-affected-hint = Des nombres seulement, jamais de noms.
form-contact-hint = Seulement si vous avez choisi « personne nommée ».
form-evidence-hint = Photos JPEG ou PNG, PDF, enregistrements audio ; 20 Mo au plus par fichier, 10 fichiers au plus. Les photos transmises aux institutions sont nettoyées de leurs métadonnées (position GPS, appareil, date).
form-all = Tous
form-filters = Filtres et recherche
form-sort-default = Par défaut
form-sort-newest = Plus récentes d'abord
form-sort-oldest = Plus anciennes d'abord

error-too-long = Texte trop long.
error-count = Indiquez un nombre entier entre 0 et 100 000.
error-date = Date non valide.
error-date-future = La date ne peut pas être dans le futur.
error-title-short = Le titre doit compter au moins 5 caractères.
error-description-short = Décrivez les faits en au moins 20 caractères.
error-institutions-required = Choisissez au moins une institution.
error-consent-required = Le consentement de la personne est nécessaire.
error-choice-invalid = Choix non valide.
error-form-expired = Ce formulaire n'est plus valable ; rechargez la page.
error-file-too-large = Fichier trop volumineux (20 Mo au plus). Vos autres saisies sont enregistrées.
error-file-type = Type de fichier refusé : seuls JPEG, PNG, PDF et l'audio sont acceptés.
error-file-count = Trop de fichiers (10 au plus).
error-file-none = Choisissez au moins un fichier.
error-note-required = Un motif ou un message est nécessaire pour cette action.
error-stale = Le dossier a changé entre-temps ; rechargez la page.
error-action-invalid = Action inconnue.
error-close-open-referrals = Des transmissions sont encore ouvertes : indiquez le motif de la clôture.
error-already-forwarded = Déjà transmise à cette institution.

## Notifications
mail-new-status = Nouvel état : { $status }
mail-institution = Institution : { $institution }
mail-open = Connectez-vous pour voir le dossier :
mail-preferences = Choisir quand recevoir ces messages :
mail-unsubscribe = Ne plus recevoir ces messages :
mail-submitted-subject = Veille : observation déposée ({ $reference })
mail-submitted-body = L'observation { $reference } a été déposée et attend l'examen de la CNDH.
mail-info_requested-subject = Veille : précisions demandées ({ $reference })
mail-info_requested-body = Des précisions sont demandées sur l'observation { $reference }.
mail-info_provided-subject = Veille : précisions apportées ({ $reference })
mail-info_provided-body = L'organisation a apporté les précisions demandées sur l'observation { $reference }.
mail-forwarded-subject = Veille : observation transmise ({ $reference })
mail-forwarded-body = L'observation { $reference } a été transmise par la CNDH.
mail-acknowledged-subject = Veille : réception accusée ({ $reference })
mail-acknowledged-body = L'institution a accusé réception de l'observation { $reference }.
mail-responded-subject = Veille : réponse de l'institution ({ $reference })
mail-responded-body = L'institution a répondu officiellement à l'observation { $reference }.
mail-contested-subject = Veille : réponse contestée ({ $reference })
mail-contested-body = L'organisation conteste la réponse donnée à l'observation { $reference }.
mail-escalated-subject = Veille : observation escaladée ({ $reference })
mail-escalated-body = La transmission de l'observation { $reference } a été escaladée à la CNDH.
mail-returned-subject = Veille : observation renvoyée ({ $reference })
mail-returned-body = La CNDH vous renvoie l'observation { $reference } pour suite à donner.
mail-declined-subject = Veille : observation refusée ({ $reference })
mail-declined-body = La CNDH n'a pas retenu l'observation { $reference }.
mail-closed-subject = Veille : observation clôturée ({ $reference })
mail-closed-body = L'observation { $reference } est clôturée.
mail-reminder-subject = Veille : échéance proche ({ $reference })
mail-reminder-body = Une échéance approche pour l'observation { $reference }.
mail-overdue-subject = Veille : échéance dépassée ({ $reference })
mail-overdue-body = Une échéance est dépassée pour l'observation { $reference }.
mail-digest-subject = Veille : résumé du jour
mail-digest-body = { $count } observation(s) ont changé aujourd'hui :

nav-preferences = Préférences
nav-mail = Courriels en échec
page-preferences-title = Préférences de notification
page-preferences-lead = Recevez un courriel à chaque changement, un résumé par jour, ou rien. Les courriels ne contiennent jamais le contenu des observations.
field-preference = Recevoir les notifications
preference-immediate = À chaque changement
preference-daily = Un résumé par jour
preference-off = Jamais
notice-preferences-saved = Préférences enregistrées.
page-unsubscribe-title = Désabonnement
page-unsubscribe-lead = Confirmez pour ne plus recevoir les notifications de Veille.
action-unsubscribe = Ne plus recevoir de notifications
notice-unsubscribed = Vous ne recevrez plus de notifications. Vous pouvez changer d'avis dans vos préférences.
error-unsubscribe-invalid = Ce lien de désabonnement n'est pas valable.
admin-mail-lead = Courriels non remis (abandonnés) ou en attente d'un nouvel essai.
admin-mail-empty = Aucun courriel en échec.
field-recipient = Destinataire
field-template = Message
field-attempts = Essais
field-error = Dernière erreur
action-resend = Renvoyer
state-dead = Abandonné
state-pending = Nouvel essai prévu

## Tableau de bord
page-dashboard-title = Tableau de bord
landing-dashboard = Tableau de bord et tendances
field-month-from = Du mois (AAAA-MM)
field-month-to = Au mois (AAAA-MM)
field-womens-filter = Organisation qui dépose
field-sensitive-filter = Catégorie
error-month-invalid = Indiquez un mois au format AAAA-MM, par exemple 2026-03.
error-period-order = Le mois de fin doit suivre le mois de début.
error-choice-unknown = Ce choix n'existe pas ; choisissez dans la liste.
stats-totals = Vue d'ensemble
stats-by-status = Observations par statut
stats-observations = Observations
stats-received = Transmises
stats-ack-on-time = Réception accusée dans les délais
stats-resp-on-time = Réponse dans les délais
stats-median-ack = Jours ouvrés médians jusqu'à l'accusé de réception
stats-median-resp = Jours ouvrés médians jusqu'à la réponse
stats-overdue-now = En retard aujourd'hui
stats-contested-share = Réponses contestées
stats-escalated = Remontées à la CNDH
stats-more-than = plus de { $days }
stats-trend = Observations déposées par mois
stats-trend-received = Observations transmises par mois
stats-month = Mois
stats-institutions = Performance des institutions
stats-institution = Institution
stats-region = Région
stats-cercle = Cercle
stats-category = Catégorie
stats-lens = Regard sur le genre
stats-lens-womens = Organisations de femmes
stats-lens-other-organisations = Autres organisations
stats-lens-sensitive = Catégories sensibles
stats-lens-other-categories = Autres catégories
stats-overdue = En retard, les plus anciennes d'abord
stats-no-overdue = Aucune observation en retard.
stats-overdue-more = { $count } en retard au total ; les 50 plus anciennes sont listées.
stats-reference = Référence
stats-due = Échéance
stats-days-late = Jours de retard
