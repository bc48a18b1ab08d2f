// One schema for both backends. SQLite's INTEGER PRIMARY KEY is 64-bit, so ids are BigInt everywhere.

diesel::table! {
    app_settings (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    companies (id) {
        id -> BigInt,
        legal_name -> Nullable<Text>,
        registration_status -> Text,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        presales_phone -> Nullable<Text>,
        presales_email -> Nullable<Text>,
        presales_address -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        company_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        password_changed_at -> Timestamp,
        language -> Nullable<Text>,
        time_zone -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (key_hash) {
        key_hash -> Text,
        user_id -> Nullable<BigInt>,
        state -> Text,
        expires_at -> Timestamp,
        ends_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        account -> Text,
        client -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    pending_signups (email) {
        email -> Text,
        token_hash -> Text,
        password_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        role -> Text,
    }
}

diesel::table! {
    form_stashes (user_id) {
        user_id -> BigInt,
        product_id -> BigInt,
        pairs -> Text,
        stashed_at -> Timestamp,
    }
}

diesel::table! {
    applications (id) {
        id -> BigInt,
        company_id -> BigInt,
        kind -> Text,
        subject -> Text,
        status -> Text,
        payload -> Text,
        product_id -> Nullable<BigInt>,
        submitted_by -> BigInt,
        submitted_at -> Timestamp,
        due_date -> Date,
        may_take_longer -> Bool,
        reviewer_id -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        latest_comment -> Nullable<Text>,
        updated_at -> Timestamp,
        review_fields -> Nullable<Text>,
        hidden_by_seller -> Bool,
    }
}

diesel::table! {
    application_events (id) {
        id -> BigInt,
        application_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        status -> Text,
        comment -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    service_groups (id) {
        id -> BigInt,
        company_id -> BigInt,
        name -> Text,
        phone -> Text,
        email -> Text,
        service_days -> Text,
        hours_start -> Text,
        hours_end -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(users -> companies (company_id));
diesel::joinable!(applications -> companies (company_id));
diesel::joinable!(application_events -> applications (application_id));
diesel::joinable!(service_groups -> companies (company_id));

diesel::table! {
    products (id) {
        id -> BigInt,
        company_id -> BigInt,
        name -> Text,
        delivery_method -> Text,
        form -> Text,
        service_group_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        listed_release_id -> Nullable<BigInt>,
        lifecycle -> Text,
        visibility -> Text,
        platform_share_bp -> Integer,
    }
}

diesel::table! {
    product_hidden_specs (product_id, spec_name) {
        product_id -> BigInt,
        spec_name -> Text,
    }
}

diesel::table! {
    product_events (id) {
        id -> BigInt,
        product_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        kind -> Text,
        application_id -> Nullable<BigInt>,
        detail -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    application_files (id) {
        id -> BigInt,
        application_id -> BigInt,
        filename -> Text,
        content_type -> Text,
        byte_size -> BigInt,
        data -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    product_removed_skus (product_id, spec_name, sku_key) {
        product_id -> BigInt,
        spec_name -> Text,
        sku_key -> Text,
    }
}

diesel::joinable!(application_files -> applications (application_id));
diesel::joinable!(product_removed_skus -> products (product_id));
diesel::joinable!(product_hidden_specs -> products (product_id));
diesel::joinable!(product_events -> products (product_id));
diesel::joinable!(product_events -> users (actor_id));
diesel::joinable!(product_events -> applications (application_id));

diesel::table! {
    product_releases (id) {
        id -> BigInt,
        product_id -> BigInt,
        number -> Integer,
        application_id -> Nullable<BigInt>,
        name -> Text,
        snapshot -> Text,
        released_at -> Timestamp,
    }
}

diesel::table! {
    product_release_files (id) {
        id -> BigInt,
        release_id -> BigInt,
        kind -> Text,
        filename -> Text,
        content_type -> Text,
        byte_size -> BigInt,
        data -> Binary,
    }
}

diesel::table! {
    catalog_entries (id) {
        id -> BigInt,
        product_id -> BigInt,
        release_id -> BigInt,
        company_id -> BigInt,
        delivery_method -> Text,
        category -> Text,
        name -> Text,
        overview -> Text,
        listed_at -> Timestamp,
        name_terms -> Text,
        body_terms -> Text,
    }
}

diesel::table! {
    catalog_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::joinable!(product_release_files -> product_releases (release_id));
diesel::joinable!(catalog_entries -> companies (company_id));

diesel::table! {
    specifications (id) {
        id -> BigInt,
        product_id -> BigInt,
        position -> Integer,
        name -> Text,
        billing_mode -> Text,
        quantity_name -> Nullable<Text>,
        quantity_unit -> Nullable<Text>,
        quantity_min -> Nullable<BigInt>,
        quantity_max -> Nullable<BigInt>,
        quantity_step -> Nullable<BigInt>,
        quantity_pricing -> Nullable<Text>,
        currency -> Text,
    }
}

diesel::table! {
    skus (id) {
        id -> BigInt,
        specification_id -> BigInt,
        position -> Integer,
        sku_key -> Text,
        attributes -> Text,
    }
}

diesel::table! {
    sku_prices (id) {
        id -> BigInt,
        sku_id -> BigInt,
        period_kind -> Text,
        amount_minor -> Nullable<BigInt>,
        bands -> Nullable<Text>,
    }
}

diesel::table! {
    uploads (id) {
        id -> BigInt,
        company_id -> BigInt,
        product_id -> Nullable<BigInt>,
        kind -> Text,
        filename -> Text,
        content_type -> Text,
        byte_size -> BigInt,
        data -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    company_product_versions (company_id) {
        company_id -> BigInt,
        version -> BigInt,
    }
}
diesel::joinable!(products -> companies (company_id));
diesel::joinable!(products -> service_groups (service_group_id));
diesel::joinable!(specifications -> products (product_id));
diesel::joinable!(skus -> specifications (specification_id));
diesel::joinable!(sku_prices -> skus (sku_id));
diesel::joinable!(uploads -> products (product_id));

diesel::table! {
    outbox (id) {
        id -> BigInt,
        company_id -> Nullable<BigInt>,
        application_id -> Nullable<BigInt>,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        max_attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        claimed_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        channel -> Text,
    }
}

diesel::table! {
    messages (id) {
        id -> BigInt,
        company_id -> BigInt,
        application_id -> Nullable<BigInt>,
        title -> Text,
        body -> Text,
        link -> Nullable<Text>,
        read_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    orders (id) {
        id -> BigInt,
        buyer_id -> BigInt,
        product_id -> BigInt,
        company_id -> BigInt,
        release_id -> BigInt,
        product_name -> Text,
        delivery_method -> Text,
        spec_name -> Text,
        sku_key -> Text,
        sku_label -> Text,
        billing -> Text,
        quantity -> Nullable<BigInt>,
        period_kind -> Text,
        period_count -> Integer,
        region -> Text,
        currency -> Text,
        amount_minor -> BigInt,
        platform_share_bp -> Integer,
        trial -> Bool,
        state -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        pay_by -> Timestamp,
        paid_at -> Nullable<Timestamp>,
        starts_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        flow -> Nullable<Text>,
        step -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The same rows as `orders`, seen by settlement, refunds and renewal: the columns of
    /// 000014 live here because a Diesel table stops at 32 columns.
    #[sql_name = "orders"]
    order_ledger (id) {
        id -> BigInt,
        buyer_id -> BigInt,
        company_id -> BigInt,
        product_name -> Text,
        spec_name -> Text,
        currency -> Text,
        amount_minor -> BigInt,
        platform_share_bp -> Integer,
        state -> Text,
        closed_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        buyer_company -> Nullable<Text>,
        refunded_minor -> BigInt,
        refunded_at -> Nullable<Timestamp>,
        renews_order_id -> Nullable<BigInt>,
        sale_bill_id -> Nullable<BigInt>,
        refund_bill_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    bills (id) {
        id -> BigInt,
        company_id -> BigInt,
        period -> Text,
        state -> Text,
        line_count -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        approved_at -> Nullable<Timestamp>,
        approved_by -> Nullable<BigInt>,
        invoiced_at -> Nullable<Timestamp>,
        paid_at -> Nullable<Timestamp>,
        paid_by -> Nullable<BigInt>,
        payout_reference -> Nullable<Text>,
        dispute_reason -> Nullable<Text>,
        disputed_at -> Nullable<Timestamp>,
        resolution -> Nullable<Text>,
    }
}

diesel::table! {
    bill_lines (id) {
        id -> BigInt,
        bill_id -> BigInt,
        order_id -> BigInt,
        kind -> Text,
        product_name -> Text,
        spec_name -> Text,
        currency -> Text,
        amount_minor -> BigInt,
        platform_share_bp -> Integer,
        settlement_micros -> BigInt,
    }
}

diesel::table! {
    bill_totals (bill_id, currency) {
        bill_id -> BigInt,
        currency -> Text,
        amount_minor -> BigInt,
        settlement_micros -> BigInt,
    }
}

diesel::table! {
    bill_invoices (bill_id) {
        bill_id -> BigInt,
        filename -> Text,
        content_type -> Text,
        byte_size -> BigInt,
        data -> Binary,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    bill_runs (period) {
        period -> Text,
        finished_at -> Timestamp,
        bills -> BigInt,
    }
}

diesel::table! {
    company_order_versions (company_id) {
        company_id -> BigInt,
        version -> BigInt,
    }
}

diesel::table! {
    benefit_requests (id) {
        id -> BigInt,
        application_id -> BigInt,
        company_id -> BigInt,
        kind -> Text,
        month -> Nullable<Text>,
        product_id -> BigInt,
        amount_usd_cents -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    order_refunds (id) {
        id -> BigInt,
        order_id -> BigInt,
        company_id -> BigInt,
        amount_minor -> BigInt,
        reason -> Text,
        state -> Text,
        decision_note -> Nullable<Text>,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    order_events (id) {
        id -> BigInt,
        order_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        kind -> Text,
        detail -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    payment_notifications (id) {
        id -> Text,
        order_id -> BigInt,
        received_at -> Timestamp,
    }
}

diesel::joinable!(order_events -> orders (order_id));
diesel::joinable!(orders -> users (buyer_id));
diesel::joinable!(bills -> companies (company_id));
diesel::joinable!(bill_lines -> bills (bill_id));
diesel::joinable!(bill_invoices -> bills (bill_id));
diesel::joinable!(bill_totals -> bills (bill_id));
diesel::joinable!(order_refunds -> orders (order_id));
diesel::joinable!(benefit_requests -> applications (application_id));
diesel::joinable!(outbox -> applications (application_id));
diesel::joinable!(messages -> applications (application_id));
diesel::joinable!(messages -> companies (company_id));

diesel::allow_tables_to_appear_in_same_query!(
    application_files,
    product_removed_skus,
    product_hidden_specs,
    product_events,
    app_settings,
    companies,
    users,
    sessions,
    login_failures,
    form_stashes,
    pending_signups,
    applications,
    application_events,
    service_groups,
    products,
    specifications,
    skus,
    sku_prices,
    uploads,
    outbox,
    messages,
    company_product_versions,
    product_releases,
    product_release_files,
    catalog_entries,
    catalog_version,
    orders,
    order_events,
    payment_notifications,
    order_ledger,
    bills,
    bill_lines,
    bill_invoices,
    bill_totals,
    bill_runs,
    order_refunds,
    benefit_requests,
    company_order_versions,
);
