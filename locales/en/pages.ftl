# The page of a library
lib-breadcrumbs = Where the library is
lib-crumb-district = { $name } district
lib-crumb-municipality = { $name } municipality
lib-id = Programme ID
lib-kind = Kind
lib-chitalishte = Chitalishte (community centre)
lib-chitalishte-name = Chitalishte “{ $name }”
lib-founded = Founded
lib-place = Settlement
lib-place-value = { $settlement }, { $municipality } municipality
lib-coordinator = District coordinator
lib-coordinator-yes = yes, the library coordinates the programme in its district
lib-address = Address
lib-phone = Phone
lib-email = Email
lib-website = Website
lib-history = History of changes
lib-services-heading = Innovative services
lib-add-service = Add a service
lib-no-services = The library has no service yet.
lib-th-service = Service
lib-partners-heading = Partners
lib-partners-hint = The organisations named in step 4 (“Partners”) of the service cards.
lib-no-partners = The service cards name no partners yet.
lib-events-heading = Events in { $district } district
lib-events-hint = Meetings and trainings in the library’s district. Which libraries took part is not recorded one by one.
lib-no-events = There are no events in the district yet.
lib-event-unpublished = Not published

# The service card: the steps of the method
svc-step-1 = Choice of the service and its name
svc-step-2 = Goal
svc-step-3 = Target group
svc-step-4 = Partners
svc-step-5 = Implementation activities
svc-step-6 = Resources/budget
svc-step-7 = Media presentation of the service
svc-step-8 = Expected results – social and economic effect, impact on the local community
svc-step-short-1 = Service and name
svc-step-short-2 = Goal
svc-step-short-3 = Target groups
svc-step-short-4 = Partners
svc-step-short-5 = Activities
svc-step-short-6 = Budget
svc-step-short-7 = Media
svc-step-short-8 = Results

# The service card: page and print
svc-breadcrumbs = You are here
svc-caption = Innovative service
svc-card-heading = Service card
svc-meta-library = Library
svc-meta-status = Status
svc-not-given = Not filled in.
svc-change = Change
svc-th-activity = Activity
svc-th-starts = Starts
svc-th-ends = Ends
svc-th-item = Item
svc-th-source = Provided by
svc-th-amount = Amount
svc-th-converted = Equivalent
svc-total-in = Total in { $currency }
svc-rate-note = Amounts are converted at the fixed rate 1 EUR = 1.95583 BGN.
svc-print = Print version
svc-print-back = Back to the service
svc-edit = Edit
svc-review-link = Check and publish
svc-status-heading = Status of the service
svc-status-label = New status
svc-status-hint = Planned, active, completed or dropped. A published service is visible to everyone.
svc-status-button = Save the status
svc-adopt-heading = Adopt this service in another library
svc-adopt-text = A copy of the card is saved as a draft of the library you choose. The volunteers and the results reached stay with this service.
svc-adopt-library = Library
svc-adopt-button = Adopt as a draft

# The service card: the step-by-step form
svc-steps-nav = Steps of the card
svc-step-of = Step { $step } of { $steps }
svc-error-summary = There is a problem
svc-error-prefix = Error:
svc-save-continue = Save and continue
svc-save-leave = Save as draft and leave
svc-add-row = Add another row
svc-working-title = New service ({ $category })
svc-field-name = Name of the service
svc-hint-name = Short and clear, for example “Information on health topics”. If the field holds the working title “New service”, replace it.
svc-field-category = Category
svc-hint-category = The main group of innovative services the service belongs to.
svc-field-year = Year
svc-hint-year = The year in which the library will offer the service.
svc-field-library = Library
svc-field-goal = Goal of the service
svc-hint-goal = What the service will change, and for whom.
svc-field-target_groups = Target groups
svc-legend-target_groups = Target groups
svc-hint-target_groups = One group per row, for example “Local community” or “Young people”. Empty rows are not saved.
svc-row-target_groups = Target group { $n }
svc-legend-partners = Partners and their role
svc-hint-partners = The organisations the library will offer the service with. Pick one from the registry or type a new name.
svc-row-partners = Partner { $n }
svc-field-partners-name = Organisation
svc-field-partners-role = Role
svc-legend-volunteers = Volunteers
svc-field-volunteer_supported = Supported by volunteers
svc-hint-volunteers = Volunteers’ names are shown on the public card: enter them only with their consent.
svc-row-volunteers = Volunteer { $n }
svc-field-volunteers-name = Name
svc-field-volunteers-role = How they help
svc-legend-activities = Activities
svc-hint-activities = The steps of putting the service in place and when they happen. Dates are optional.
svc-row-activities = Activity { $n }
svc-field-activities-title = What will be done
svc-field-activities-starts = Starts
svc-field-activities-ends = Ends
svc-legend-budget = Budget items
svc-hint-budget = Enter amounts in leva or euro, for example 1500 or 1500.50. The total is worked out in both currencies.
svc-row-budget = Item { $n }
svc-field-budget-label = Description
svc-field-budget-amount = Amount
svc-field-budget-currency = Currency
svc-field-budget-source = Provided by
svc-field-media = Media presentation
svc-hint-media = How the community will learn about the service: local media, website, social networks, events.
svc-field-expected-social = Social effect
svc-field-expected-economic = Economic effect
svc-field-expected-community = Impact on the local community
svc-err-choose-category = Choose a category.
svc-err-date = “{ $value }” is not a date. Enter it as 2012-06-06 or 06.06.2012.
svc-err-status = Choose a status from the list.
svc-err-adopt-library = Choose a library from the list.

# A new service
svc-new-title = New innovative service
svc-new-lead = Choose the category and the year. The card is saved at once as a draft and you go on step by step; you can leave at any time and come back to it.
svc-new-button = Create the draft
svc-cancel = Cancel

# Check and publish
svc-review-title = Check the card before publishing
svc-review-lead = Look through all the steps. You can change any of them.
svc-review-problems = Before publishing, fill in
svc-publish-heading = Publishing
svc-publish-text = Once published, the service gets the status “Planned” and everyone can see it.
svc-publish-button = Publish
svc-keep-draft = Keep as a draft
svc-already-published = The service is already published (status: { $status }).

# Partners
partner-list-title = Partners
partner-list-lead = The organisations the libraries offer their innovative services with.
partner-search-label = Search by name
partner-search-hint = Full or short name, for example “РЗИ”
partner-search-button = Search
partner-facet-kind = Kind of partner
partner-any-kind = All kinds
partner-count = { $count ->
    [one] { $count } partner
   *[other] { $count } partners
}
partner-none = No partner matches the search.
partner-th-name = Organisation
partner-th-kind = Kind
partner-th-services = Services
partner-breadcrumbs = You are here
partner-short-name = Short name
partner-place = Settlement
partner-website = Website
partner-libraries-heading = Libraries it works with
partner-no-libraries = The partner is not named in a published service yet.
partner-services-n = { $count ->
    [one] ({ $count } service)
   *[other] ({ $count } services)
}
partner-services-heading = Services it takes part in
partner-th-service = Service
partner-th-library = Library
partner-th-role = Role
svc-conflict-heading = Someone else saved this card in the meantime
svc-conflict-text = While you were filling in this step, another person saved the card (version { $version }, { $at }). Nothing you wrote is lost: it is in the form below, on top of the saved card.
svc-conflict-same = In this step the two saves agree; the other person changed other steps.
svc-conflict-how = Look over the form, take what you need from the saved values, and save again: your save will replace the step.

## The activity log of a service (crates/web/src/pages/services/activities.rs)
act-heading = Activities carried out
act-none = No activity has been recorded yet.
act-field-date = Date
act-field-kind = Kind
act-field-hours = Hours
act-field-volunteers = Volunteers
act-field-volunteer_hours = Volunteer hours
act-field-reached = People reached
act-field-target_group = Target group
act-field-count = Number of people
act-field-estimated = The number is an estimate
act-field-note = Note
act-field-service_id = Service
act-hint-date = For example 2012-10-04.
act-hint-hours = Hours of work, staff and volunteers together; a decimal such as 1.5 is allowed.
act-legend-reached = People reached by target group
act-hint-reached = One row per target group; leave the spare rows empty.
act-row-reached = Target group { $n }
act-col-hours = Hours
act-col-volunteers = Volunteers (hours)
act-col-reached = People reached
act-col-actions = Actions
act-volunteers-cell = { $n } ({ $hours } h)
act-edit = Change
act-total = Total
act-estimated-note = “≈” marks a number that is an estimate.
act-new-title = Record an activity
act-edit-title = Change an activity
act-delete-heading = Delete this activity
act-delete = Delete the activity
act-save = Save the activity
act-add = Add the activity
act-err-whole = “{ $value }” is not a whole number of zero or more.
