namespace Traceability.NationalPortal.Client;

/// <summary>
/// The national traceability portal as modelled in DESIGN §5. Everything the project knows about
/// the portal's wire format lives here and in <see cref="PortalDtos"/>, so a correction to the
/// real integration guide is made in one place. Calls return <see cref="IApiResponse{T}"/> so callers
/// branch on outcomes (201, 409 with the existing id, 400 with maLoi/thongBao) instead of catching.
/// </summary>
public interface INationalPortalApi
{
    /// <summary>Client-credentials login; sent without a bearer token.</summary>
    [Post("/sso/token")]
    Task<IApiResponse<PortalToken>> GetTokenAsync(
        [Body(BodySerializationMethod.UrlEncoded)] TokenRequest request, CancellationToken ct = default);

    [Post("/gw/tochuc/v5/ToChuc_SanPham")]
    Task<IApiResponse<PortalProductCreated>> CreateProductAsync([Body(buffered: true)] PortalProduct body, CancellationToken ct = default);

    [Post("/gw/tochuc/v5/ToChuc_LoHang")]
    Task<IApiResponse<PortalLotCreated>> CreateLotAsync([Body(buffered: true)] PortalLot body, CancellationToken ct = default);

    [Post("/gw/tochuc/v5/ToChuc_SuKien")]
    Task<IApiResponse<PortalEventCreated>> CreateEventAsync([Body(buffered: true)] PortalEvent body, CancellationToken ct = default);

    [Post("/gw/tochuc/v5/ToChuc_ThuHoi")]
    Task<IApiResponse<PortalRecallCreated>> CreateRecallAsync([Body(buffered: true)] PortalRecall body, CancellationToken ct = default);
}
