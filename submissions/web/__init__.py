"""The staff web application: server-rendered pages (htmx for partial updates) where authors, reviewers,
approvers and organization admins do their work. Views stay thin and call one domain function per write."""
