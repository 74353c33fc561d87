# Events: meetings, trainings, working groups and the report that follows (prefix ev-)

# List
ev-list-title = Events
ev-list-lead = Regional meetings, trainings and the working groups where new services are born.
ev-upcoming = Upcoming
ev-past = Past
ev-none-upcoming = No upcoming events.
ev-none-past = No past events.
ev-new = New event
ev-unpublished = unpublished
ev-participants-count = { $count ->
    [one] { $count } participant
   *[other] { $count } participants
}
ev-th-dates = Dates
ev-th-event = Event
ev-th-place = Place
ev-th-kind = Kind
ev-th-participants = Participants

# Event page
ev-details = Details
ev-kind = Kind
ev-dates = Dates
ev-place = Settlement
ev-venue = Venue
ev-organisers = Organisers
ev-purpose = Purpose of the meeting
ev-expected = Expected participants
ev-reported = Reported head count
ev-reported-over = over { $count }
ev-agenda = Agenda
ev-participants = Participants
ev-groups = Working groups
ev-no-agenda = The agenda has not been entered yet.
ev-no-participants = The participants have not been entered yet.
ev-no-groups = No working groups.
ev-th-day = Day
ev-th-time = Time
ev-th-speaker = Speaker
ev-th-organisation = Organisation
ev-th-topic = Topic
ev-th-name = Name
ev-th-position = Position
ev-th-role = Role
ev-th-attended = Attendance
ev-th-group = Group
ev-th-actions = Actions
ev-group-members = Members
ev-group-spokesperson = Spokesperson
ev-group-category = Category
ev-group-no-card = The group has not filled in a service card yet.
ev-report-link = Report of the event
ev-ics-link = Add to calendar (.ics)
ev-xlsx-link = Participant list (XLSX)
ev-manage = Manage
ev-edit = Edit the details
ev-edit-agenda = Agenda
ev-edit-participants = Participants and attendance
ev-edit-groups = Working groups
ev-publish = Publish the report
ev-publish-hint = Publishing makes the event, its agenda, its participants (without contacts) and its report visible to everyone.
ev-not-published-notice = This event is not published yet: only the district's coordinators and the programme unit can see it.
ev-saved = Your changes have been saved.
ev-published-notice = The event has been published.
ev-adopted-notice = The card has been adopted as a draft service.
ev-back = Back to the event
ev-breadcrumbs = Breadcrumbs

# Participant roles
ev-role-organiser = organiser
ev-role-guest = guest
ev-role-speaker = speaker
ev-role-facilitator = facilitator
ev-role-participant = participant
ev-attended-yes = yes
ev-attended-no = no

# Participant list (XLSX)
ev-col-name = Name
ev-col-position = Position
ev-col-organisation = Organisation
ev-col-role = Role
ev-col-attended = Attended
ev-xlsx-title = Participants of “{ $title }”, { $starts } – { $ends }
ev-xlsx-sheet = Participants

# Event form
ev-form-new-title = New event
ev-form-edit-title = Editing “{ $title }”
ev-f-title = Title
ev-f-title-hint = As the report will show it, without quotation marks: for example The library and its partners.
ev-f-kind = Kind of event
ev-f-starts = First day
ev-f-ends = Last day
ev-f-date-hint = As YYYY-MM-DD, for example 2012-06-06.
ev-f-district = District
ev-f-district-choose = Show the district's settlements
ev-f-settlement = Settlement
ev-f-settlement-none = — not given —
ev-f-venue = Venue
ev-f-venue-hint = A hall, a building or an address, for example the blue hall of the Bratstvo chitalishte.
ev-f-organisers = Organisers
ev-f-organisers-hint = One per line.
ev-f-purpose = Purpose of the meeting
ev-f-purpose-hint = Why the participants meet: the focus of the meeting, in a sentence or two.
ev-f-expected = Expected number of participants
ev-f-reported = Reported head count
ev-f-reported-hint = When the list is not complete: the report will say “over …”.
ev-f-group-method = Working-group method
ev-f-group-method-hint = One step per line. When empty, the report lists the programme's 8 steps.
ev-f-save = Save
ev-f-create = Create the event
ev-f-cancel = Cancel
ev-conflict-heading = Someone else saved this event in the meantime
ev-conflict-text = While you were filling in this form, another person saved the event (version { $version }, { $at }). Nothing you wrote is lost: it is in the form below.
ev-conflict-same = In this form the two saves agree; the other person changed other parts of the event.
ev-conflict-how = Look over the form, take what you need from the saved values, and save again: your save will replace these details.
ev-err-date = Enter a date as YYYY-MM-DD.
ev-err-time = Enter a time as HH:MM.
ev-err-number = Enter a whole number, zero or more.
ev-err-settlement = Choose a settlement of the district.
ev-err-district = Choose a district.
ev-err-kind = Choose the kind of event.
ev-err-role = Choose a role.
ev-err-category = Choose a category of the taxonomy.
ev-err-library = Choose a library.
ev-err-index = That row no longer exists: open the page again.

# Agenda
ev-agenda-title = Agenda of “{ $title }”
ev-agenda-add = Add an agenda item
ev-f-day = Day
ev-f-day-none = — not given —
ev-f-time = Time
ev-f-time-hint = Optional, as HH:MM.
ev-f-speaker = Speaker
ev-f-speaker-hint = The person's name; if they are a participant, pick them from the suggestions.
ev-f-organisation = Organisation
ev-f-topic = Topic
ev-remove = Remove
ev-remove-what = Remove “{ $what }”

# Participants
ev-participants-title = Participants of “{ $title }”
ev-participant-add = Add a participant
ev-f-name = Full name
ev-f-position = Position
ev-f-role = Role
ev-f-attended = Attended
ev-attendance = Attendance and roles
ev-attendance-save = Save attendance and roles
ev-contacts-note = People's contacts are not entered here: they are personal data and kept in the registry of people.

# Working groups
ev-groups-title = Working groups of “{ $title }”
ev-group-add = Create a group
ev-f-group-name = Name of the group
ev-f-group-name-hint = For example Group 1.
ev-f-group-service = Working title of the service
ev-f-group-service-hint = The service the group chooses to design; it can be changed on the group's card.
ev-assign = Participants by group
ev-assign-none = — no group —
ev-assign-save = Save the groups
ev-group-open = Service card of { $group }
ev-card-title = { $group }: service card
ev-card-lead = The group picks a category, fills in the eight steps and names a spokesperson who presents the service to everyone.
ev-f-category = Category of the service
ev-f-choose = — choose —
ev-f-spokesperson = Spokesperson of the group
ev-f-spokesperson-hint = Who presents the service to all participants.
ev-f-card-name = Name of the service
ev-f-goal = Goal
ev-f-target-groups = Target groups
ev-f-target-groups-hint = One per line, for example pupils.
ev-f-partner-name = Partner
ev-f-partner-role = Partner's role
ev-f-activity-title = Activity
ev-f-activity-starts = From
ev-f-activity-ends = To
ev-f-budget-label = Item
ev-f-budget-amount = Amount
ev-f-budget-currency = Currency
ev-f-budget-source = Source
ev-f-media = Media presentation
ev-f-expected-social = Social effect
ev-f-expected-economic = Economic effect
ev-f-expected-community = Impact on the local community
ev-row = Row { $n }
ev-rows-hint = Empty rows are skipped. New empty rows are added after saving.

# The steps of the method (as in the Kyustendil 2012 report)
ev-step-1 = Choice of the service and its name
ev-step-2 = Goal
ev-step-3 = Target group
ev-step-4 = Partners
ev-step-5 = Implementation activities
ev-step-6 = Resources/budget
ev-step-7 = Media presentation of the service
ev-step-8 = Expected results – social and economic effect, impact on the local community

# Adopting a group's card as a library's service
ev-adopt-title = Adopt as a library's service
ev-adopt-hint = The card is copied as a draft service of the chosen library for { $year }; the library completes and publishes it itself.
ev-f-library = Library
ev-adopt-submit = Adopt as a draft
ev-adopt-need-card = Before it can be adopted, the card needs a service name and a category.

# The report
ev-month-1 = January
ev-month-2 = February
ev-month-3 = March
ev-month-4 = April
ev-month-5 = May
ev-month-6 = June
ev-month-7 = July
ev-month-8 = August
ev-month-9 = September
ev-month-10 = October
ev-month-11 = November
ev-month-12 = December
ev-date-full = { $day } { $month } { $year }
ev-date-day-month = { $day } { $month }
ev-dates-two = { $first } and { $second }
ev-dates-range = { $first } – { $second }
ev-and = and
ev-report-title = { $kind ->
    [meeting] Regional thematic meeting “{ $title }” in { $place }
    [meeting-local] Thematic meeting “{ $title }” in { $place }
    [training] Training “{ $title }” in { $place }
    [conference] Conference “{ $title }” in { $place }
   *[other] “{ $title }” in { $place }
}
ev-report-title-noplace = { $kind ->
    [meeting] Regional thematic meeting “{ $title }”
    [meeting-local] Thematic meeting “{ $title }”
    [training] Training “{ $title }”
    [conference] Conference “{ $title }”
   *[other] “{ $title }”
}
ev-what = { $kind ->
    [meeting] regional thematic meeting
    [meeting-local] thematic meeting
    [training] training
    [conference] conference
   *[other] event
}
ev-in-event = { $kind ->
    [meeting] the meeting
    [meeting-local] the meeting
    [training] the training
    [conference] the conference
   *[other] the event
}
ev-report-held = On { $dates } the { $what } “{ $title }” was held in { $place }{ $count ->
    [0] .
    [one] , organised by { $organisers }.
   *[other] , a joint initiative of { $organisers }.
}
ev-report-held-noplace = On { $dates } the { $what } “{ $title }” was held{ $count ->
    [0] .
    [one] , organised by { $organisers }.
   *[other] , a joint initiative of { $organisers }.
}
ev-report-venue = The forum took place in { $venue }.
ev-report-count-over = Over { $count } people took part in { $in_event }.
ev-report-count = { $count } people took part in { $in_event }.
ev-report-guests = { $count ->
    [one] The official guest of the event was { $guests }.
   *[other] The official guests of the event were { $guests }.
}
ev-report-present = Present were { $list }.
ev-report-spoke = { $speaker } spoke on “{ $topic }”.
ev-report-spoke-org = { $speaker }, { $organisation }, spoke on “{ $topic }”.
ev-report-h-who = Who met, where and why
ev-report-h-agenda = Who spoke about what
ev-report-h-groups = Working groups
ev-report-h-table = The district's services
ev-report-groups-intro = { $count ->
    [one] The participants worked in one group and could choose the innovative service they would design from the programme's main kinds of innovative services.
   *[other] The participants were divided into { $count } groups and each could choose the innovative service it would design from the programme's main kinds of innovative services.
}
ev-report-method = The innovative services were designed in this sequence:
ev-report-spokespeople = When the group work was over, a spokesperson of each group presented the new service it had identified to all participants.
ev-report-results = The results by group are:
ev-report-result = { $category }: { $service }. Target group: { $target }.
ev-report-result-nocat = { $service }. Target group: { $target }.
ev-report-result-notarget = { $category }: { $service }.
ev-report-result-bare = { $service }.
ev-report-table-caption = Innovative services the target libraries of { $district } district will run in { $year }
ev-report-col-id = ID
ev-report-col-library = Library
ev-report-col-municipality = Municipality
ev-report-col-settlement = Settlement
ev-report-col-service = Service supported by volunteers
ev-report-col-target = Target group
ev-report-draft-notice = Report preview: the event is not published yet and the report is not public.
ev-report-download = Download as an HTML page for a website
ev-report-print-hint = This page is ready for printing: use your browser's print command.
ev-report-source = This report was compiled by lipa from the data entered for the event.
