/// Renders every page of the site, in parallel, from one immutable model.
struct PageRenderer: Sendable {
    let model: SiteModel
    let theme: Theme

    enum Job: Sendable {
        case dashboard, notFound
        case service(Int)
        case review(String, Int)
        case checklist(Int)
        case page(Int)
    }

    func renderAll() -> [OutputFile] {
        var jobs: [Job] = [.dashboard, .notFound]
        jobs += model.content.services.indices.map(Job.service)
        for service in model.content.services {
            jobs += (model.reviews[service.slug] ?? []).indices.map { Job.review(service.slug, $0) }
        }
        jobs += model.content.checklists.indices.map(Job.checklist)
        jobs += model.pages.indices.map(Job.page)
        return jobs.parallelMap(render)
    }

    /// Builds the job's context inside this task (contexts are not `Sendable`) and renders it.
    func render(_ job: Job) -> OutputFile {
        let contexts = PageContexts(model: model)
        switch job {
        case .dashboard:
            return OutputFile(path: "index.html", text: theme.render("dashboard", contexts.dashboard()))
        case .notFound:
            return OutputFile(path: "404.html", text: theme.render("404", contexts.notFound()))
        case .service(let i):
            let service = model.content.services[i]
            return OutputFile(
                path: SiteModel.serviceURL(service.slug) + "index.html",
                text: theme.render("service", contexts.service(service)))
        case .review(let slug, let i):
            let review = model.reviews[slug]![i]
            return OutputFile(
                path: SiteModel.reviewURL(review) + "index.html",
                text: theme.render("review", contexts.review(review)))
        case .checklist(let i):
            let checklist = model.content.checklists[i]
            return OutputFile(
                path: SiteModel.checklistURL(checklist.id) + "index.html",
                text: theme.render("checklist", contexts.checklist(checklist)))
        case .page(let i):
            let page = model.pages[i]
            return OutputFile(
                path: SiteModel.pageURL(page.slug) + "index.html", text: theme.render("page", contexts.page(page)))
        }
    }
}

/// The machine-readable outputs.
enum Exports {
    static func files(_ model: SiteModel) -> [OutputFile] {
        let rows = model.content.services.map {
            ReadinessExport.Row(service: $0, readiness: model.readiness[$0.slug]!, url: SiteModel.serviceURL($0.slug))
        }
        return [
            OutputFile(
                path: "readiness.json",
                text: ReadinessExport.json(
                    rows, title: model.config.title, baseURL: model.config.baseURL, generated: model.buildDate)),
            OutputFile(path: "readiness.csv", text: ReadinessExport.csv(rows)),
        ]
    }
}
