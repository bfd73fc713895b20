namespace Traceability.Authority.FunctionalTests;

/// <summary>Complaint triage (issue 18, point 4): the staff API, the audit trail, the overdue flag and the role rules.</summary>
public sealed class ComplaintTriageTests(StaffRoleApp app) : IClassFixture<StaffRoleApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Triage_assigns_notes_and_resolves_with_every_change_audited()
    {
        var id = await SubmitAsync("Hộp sâm có tem lạ", "0912 000 111");
        var admin = app.Admin();

        var assigned = await admin.PostAsJsonAsync($"/api/v1/reports/{id}/triage",
            new { status = "in_review", assignee = "admin-configured", note = "Đã gọi cho cửa hàng" }, Ct);
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        var view = (await assigned.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal("in_review", (string)view["status"]!);
        Assert.Equal("admin-configured", (string)view["assignee"]!["id"]!);

        var unknownStaff = await admin.PostAsJsonAsync($"/api/v1/reports/{id}/triage", new { assignee = "nobody" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownStaff.StatusCode);
        Assert.True((await unknownStaff.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey("assignee"));
        var tooLong = await admin.PostAsJsonAsync($"/api/v1/reports/{id}/triage", new { note = new string('x', 2001) }, Ct);
        Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey("note"));

        var resolved = await admin.PostAsJsonAsync($"/api/v1/reports/{id}/triage",
            new { status = "resolved", outcome = "Chuyển QLTT Lai Châu; cửa hàng đã thu hồi hàng", note = "Kết thúc" }, Ct);
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var again = await admin.PostAsJsonAsync($"/api/v1/reports/{id}/triage", new { status = "rejected", outcome = "x" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var audit = await app.Services.GetRequiredService<IAuditStore>().ListAuditAsync("report:" + id, 10, Ct);
        Assert.Equal(2, audit.Count(e => e.Action == "report.triage"));
        var last = audit.First(e => e.Action == "report.triage");
        Assert.Equal("admin-configured", last.Actor); // the bearer key's id
        Assert.Contains("status: in_review → resolved", last.Details);
        Assert.Equal("Kết thúc", last.Reason);

        // GET with the detail: notes kept in order (the history), the outcome, and still only the staff's view of the contact.
        var detail = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/reports/{id}", Ct))!;
        Assert.Equal(["Đã gọi cho cửa hàng", "Kết thúc"], detail["notes"]!.AsArray().Select(n => (string)n!["text"]!));
        Assert.Equal("Chuyển QLTT Lai Châu; cửa hàng đã thu hồi hàng", (string)detail["report"]!["outcome"]!);
        Assert.Contains((await admin.GetFromJsonAsync<JsonObject>("/api/v1/reports?status=resolved", Ct))!["items"]!.AsArray(),
            r => (string)r!["id"]! == id);
    }

    [Fact]
    public async Task Every_view_of_the_contact_is_audited_and_the_list_never_decrypts_it()
    {
        var id = await SubmitAsync("Ngộ độc sau khi uống", "Trần Thị Hoa 0988 765 432");
        var audit = app.Services.GetRequiredService<IAuditStore>();

        await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports", Ct);
        Assert.DoesNotContain(await audit.ListAuditAsync("report:" + id, 10, Ct), e => e.Action == "report.contact_view");

        var first = (await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/reports/{id}", Ct))!;
        Assert.Equal("Trần Thị Hoa 0988 765 432", (string)first["contact"]!);
        await (await app.AsAsync("viewer")).GetFromJsonAsync<JsonObject>($"/api/v1/reports/{id}", Ct);
        var views = (await audit.ListAuditAsync("report:" + id, 10, Ct)).Where(e => e.Action == "report.contact_view").ToList();
        Assert.Equal(2, views.Count);
        Assert.Equal(["Cán bộ viewer", "admin-configured"], views.Select(v => v.Actor).Order(StringComparer.Ordinal));

        // The workspace's detail page decrypts it only behind its link, and that view is audited too.
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var page = WebUtility.HtmlDecode(await browser.GetPageAsync($"/authority/complaints/{id}"));
        Assert.DoesNotContain("0988 765 432", page);
        Assert.Equal(2, (await audit.ListAuditAsync("report:" + id, 10, Ct)).Count(e => e.Action == "report.contact_view"));
        var shown = WebUtility.HtmlDecode(await browser.GetPageAsync($"/authority/complaints/{id}?showContact=1"));
        Assert.Contains("0988 765 432", shown);
        Assert.Equal(3, (await audit.ListAuditAsync("report:" + id, 10, Ct)).Count(e => e.Action == "report.contact_view"));
    }

    [Fact]
    public async Task A_complaint_open_longer_than_the_overdue_days_is_flagged_until_it_is_decided()
    {
        var store = app.Services.GetRequiredService<IReportStore>();
        var old = DateTimeOffset.UtcNow.AddDays(-16);
        var oldId = "r_old" + Guid.NewGuid().ToString("N")[..8];
        await store.AddReportAsync(new ConsumerReport(oldId, old, null, null, "quality", "Cam bị dập", null, ReportStatus.InReview, old), Ct);
        var freshId = await SubmitAsync("Mới gửi hôm nay", null);

        var overdue = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports?overdue=true", Ct))!["items"]!.AsArray();
        Assert.Contains(overdue, r => (string)r!["id"]! == oldId);
        Assert.DoesNotContain(overdue, r => (string)r!["id"]! == freshId);
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        Assert.Contains("Quá hạn xử lý", WebUtility.HtmlDecode(await browser.GetPageAsync($"/authority/complaints/{oldId}")));
        Assert.DoesNotContain("Quá hạn xử lý", WebUtility.HtmlDecode(await browser.GetPageAsync($"/authority/complaints/{freshId}")));

        await app.Admin().PostAsJsonAsync($"/api/v1/reports/{oldId}/triage", new { status = "rejected", outcome = "Không đủ thông tin" }, Ct);
        var after = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports?overdue=true", Ct))!["items"]!.AsArray();
        Assert.DoesNotContain(after, r => (string)r!["id"]! == oldId);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin().GetAsync("/api/v1/reports?overdue=maybe", Ct)).StatusCode);
    }

    [Fact]
    public async Task Viewers_read_but_cannot_write_officers_can_and_other_roles_get_403()
    {
        var id = await SubmitAsync("Tem mờ", null);
        var viewer = (await app.AsAsync("viewer"));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/reports", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/reports/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/v1/reports/{id}/triage", new { status = "in_review" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PatchAsJsonAsync($"/api/v1/reports/{id}", new { status = "in_review" }, Ct)).StatusCode);
        // The page shows a viewer no triage form.
        var page = await viewer.GetStringAsync($"/authority/complaints/{id}", Ct);
        Assert.DoesNotContain("name=\"_handler\" value=\"triage\"", page);

        var officer = (await app.AsAsync("officer"));
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/v1/reports/{id}/triage", new { status = "in_review" }, Ct)).StatusCode);
        Assert.Contains("name=\"_handler\" value=\"triage\"", await officer.GetStringAsync($"/authority/complaints/{id}", Ct));
        var audit = await app.Services.GetRequiredService<IAuditStore>().ListAuditAsync("report:" + id, 10, Ct);
        Assert.Equal("Cán bộ officer", Assert.Single(audit, e => e.Action == "report.triage").Actor);

        var producer = await app.NewProducerAsync("HTX Cam");
        var (inspector, _) = await app.NewInspectorAsync();
        foreach (var client in new[] { producer.Client, inspector })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/v1/reports/{id}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/v1/reports/{id}/triage", new { note = "x" }, Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync($"/api/v1/reports/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync($"/api/v1/reports/{id}/triage", new { note = "x" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_workspace_triages_a_complaint_to_resolved_with_a_vietnamese_error_first()
    {
        var id = await SubmitAsync("Sai hạn sử dụng trên bao bì", null);
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var queue = WebUtility.HtmlDecode(await browser.GetPageAsync("/authority/complaints?status=new"));
        Assert.Contains($"/authority/complaints/{id}", queue);

        var url = $"/authority/complaints/{id}";
        var missing = await browser.SubmitAsync(url, "triage", ("Form.Status", "resolved"), ("Form.Assignee", "admin-configured"), ("Form.Outcome", ""));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("Cần ghi kết quả xử lý", WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync(Ct)));

        var done = await browser.SubmitAsync(url, "triage", ("Form.Status", "resolved"), ("Form.Assignee", "admin-configured"),
            ("Form.Outcome", "Đã yêu cầu nhà sản xuất in lại nhãn"), ("Form.Note", "Gọi điện ngày 5/12"));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(done.Headers.Location!.OriginalString));
        Assert.Contains("Đã giải quyết", page);
        Assert.Contains("Đã yêu cầu nhà sản xuất in lại nhãn", page);
        Assert.Contains("Gọi điện ngày 5/12", page);
        Assert.Contains("Xử lý phản ánh", page); // the audit entry, in Vietnamese
        Assert.DoesNotContain($"/authority/complaints/{id}\"", WebUtility.HtmlDecode(await browser.GetPageAsync("/authority/complaints?status=new")));
    }

    private async Task<string> SubmitAsync(string message, string? contact)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/reports",
            new { code = "/01/08936001000010/10/LC-01", category = "counterfeit", message, contact }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;
    }
}
