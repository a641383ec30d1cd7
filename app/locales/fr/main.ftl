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
